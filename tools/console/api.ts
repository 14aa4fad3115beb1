import { z } from 'zod';
import { concertIdSchema, purchaseIdSchema } from '#events/metadata';
import { describeTrigger } from '#tools/context-map/describe-trigger';
import { ContextMapPageError, extractModel } from '#tools/context-map/embedded-model';
import { LOCAL_RUNTIME_NOT_RUNNING } from '#tools/ops/config';
import { EXECUTION_FILTERS } from '#tools/ops/list-executions';
import { layoutContextMap } from './context-map-graph.ts';
import { executionsList } from './executions-view.ts';
import { purchasePage, type PurchasePorts } from './purchase-view.ts';
import { waitingRoomPage, waitingRoomsList, type WaitingRoomsPort } from './waiting-rooms.ts';

/**
 * The console's JSON API, as a plain function of (method, URL) so it is
 * tested without a server:
 *
 *   GET /api/about                 what the console is connected to
 *   GET /api/executions?status=NEEDS_A_PERSON&search=<purchaseId or part>&limit=50
 *       status: an execution status, or NEEDS_A_PERSON for FAILED, TIMED_OUT and ABORTED
 *   GET /api/purchases/<purchaseId>
 *   GET /api/context-map           the model embedded in docs/context-map.md, laid out,
 *                                  and what runs each handler, in words
 *   GET /api/waiting-rooms         every gated concert's room: line, measured rate, pause, on-sale
 *   GET /api/waiting-rooms/<concertId>
 *
 * Errors are JSON too: {"error": "..."} with 400, 404, 405, 502 or 500.
 */

export interface ConsolePorts extends PurchasePorts {
  /** The text of docs/context-map.md; undefined when the file does not exist. */
  readonly contextMapPage: () => Promise<string | undefined>;
  readonly waitingRooms: WaitingRoomsPort;
}

export interface ConsoleAbout {
  readonly target: 'local' | 'aws';
  /** "local runtime" or the stack name. */
  readonly name: string;
  readonly region: string;
  readonly stateMachineArn: string;
}

interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
}

const DEFAULT_LIST_LIMIT = 50;
const MAX_LIST_LIMIT = 200;

/** An empty field in a query string means "no filter". */
const blankAsAbsent = (value: unknown) => (value === '' ? undefined : value);

const executionsQuerySchema = z.object({
  status: z.preprocess(blankAsAbsent, z.enum(EXECUTION_FILTERS).optional()),
  search: z.preprocess(blankAsAbsent, z.string().trim().max(64).optional()),
  limit: z.preprocess(blankAsAbsent, z.coerce.number().int().min(1).max(MAX_LIST_LIMIT).default(DEFAULT_LIST_LIMIT)),
});

const PURCHASE_PATH = /^\/api\/purchases\/([^/]+)$/;
const WAITING_ROOM_PATH = /^\/api\/waiting-rooms\/([^/]+)$/;

const json = (status: number, body: unknown): ApiResponse => ({ status, body });
const problem = (status: number, error: string): ApiResponse => json(status, { error });

const isConnectionRefused = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const code = 'code' in error ? error.code : error.cause instanceof Error && 'code' in error.cause ? error.cause.code : undefined;
  return code === 'ECONNREFUSED';
};

export interface ConsoleApiOptions {
  readonly ports: ConsolePorts;
  readonly about: ConsoleAbout;
  readonly now?: () => Date;
  /** Where unexpected errors are reported (the response carries only their message). */
  readonly onError?: (error: unknown) => void;
}

export type ConsoleApi = (method: string, url: URL) => Promise<ApiResponse>;

export const createConsoleApi = ({ ports, about, now = () => new Date(), onError = () => undefined }: ConsoleApiOptions): ConsoleApi => {
  const routes = async (url: URL): Promise<ApiResponse> => {
    if (url.pathname === '/api/about') return json(200, about);

    if (url.pathname === '/api/executions') {
      const query = executionsQuerySchema.safeParse(Object.fromEntries(url.searchParams));
      if (!query.success) return problem(400, z.prettifyError(query.error));
      const { status, search, limit } = query.data;
      return json(200, await executionsList(ports.executions, { ...(status ? { filter: status } : {}), ...(search ? { search } : {}), limit }, now()));
    }

    const purchase = PURCHASE_PATH.exec(url.pathname);
    if (purchase) {
      const id = purchaseIdSchema.safeParse(decodeURIComponent(purchase[1] ?? ''));
      if (!id.success) return problem(400, 'not a purchase id (8-64 letters, digits or dashes)');
      const page = await purchasePage(ports, id.data, now());
      return page ? json(200, page) : problem(404, `unknown purchase ${id.data}: no purchase record and no execution with this id`);
    }

    if (url.pathname === '/api/context-map') {
      const markdown = await ports.contextMapPage();
      if (markdown === undefined) return problem(404, 'docs/context-map.md does not exist: generate it with npm run context-map');
      const model = extractModel(markdown);
      // The handler table's "runs on" text comes from here, so the browser keeps no wording of its own.
      const runsOn = Object.fromEntries(model.handlers.map((handler) => [handler.name, handler.triggers.map(describeTrigger)]));
      return json(200, { model, layout: layoutContextMap(model), runsOn });
    }

    if (url.pathname === '/api/waiting-rooms') return json(200, await waitingRoomsList(ports.waitingRooms, now()));

    const waitingRoom = WAITING_ROOM_PATH.exec(url.pathname);
    if (waitingRoom) {
      const id = concertIdSchema.safeParse(decodeURIComponent(waitingRoom[1] ?? ''));
      if (!id.success) return problem(400, 'not a concert id (2-63 lowercase letters, digits or dashes)');
      const room = await waitingRoomPage(ports.waitingRooms, id.data, now());
      return room ? json(200, room) : problem(404, `unknown concert ${id.data}`);
    }

    return problem(404, `no API at ${url.pathname}`);
  };

  return async (method, url) => {
    if (method !== 'GET') return problem(405, 'the console API is read-only: GET only');
    try {
      return await routes(url);
    } catch (error) {
      if (error instanceof ContextMapPageError) return problem(500, `docs/context-map.md: ${error.message}`);
      if (isConnectionRefused(error)) {
        return problem(502, about.target === 'local' ? `${LOCAL_RUNTIME_NOT_RUNNING} (connection refused)` : 'connection refused by an AWS endpoint');
      }
      onError(error);
      return problem(500, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    }
  };
};

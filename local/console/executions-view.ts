import { purchaseIdSchema } from '#events/metadata';
import { listExecutions, type ExecutionLine } from '#tools/ops/list-executions';
import type { ExecutionStatus, ExecutionsPort } from '#tools/ops/ports';

export interface ExecutionsQuery {
  readonly status?: ExecutionStatus;
  /** A whole purchaseId, or a part of one. */
  readonly search?: string;
  readonly limit: number;
}

export interface ExecutionRow {
  readonly purchaseId: string;
  readonly status: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly step?: string;
  readonly error?: string;
  readonly endedIn?: string;
}

export interface ExecutionsList {
  readonly executions: readonly ExecutionRow[];
  /**
   * How the search was done: by name (a whole purchaseId, found however old
   * it is) or among the latest executions only (a part of one).
   */
  readonly searchedBy?: 'name' | 'latest';
}

const toRow = (line: ExecutionLine): ExecutionRow => ({
  purchaseId: line.purchaseId,
  status: line.status,
  startedAt: line.startedAt.toISOString(),
  durationMs: line.durationMs,
  ...(line.step ? { step: line.step } : {}),
  ...(line.error ? { error: line.error } : {}),
  ...(line.endedIn ? { endedIn: line.endedIn } : {}),
});

/** How many executions a partial search looks through: ListExecutions cannot filter by name. */
export const PARTIAL_SEARCH_WINDOW = 200;

/**
 * The list page: newest first, with the failing (or current) step of each
 * execution that did not succeed, as `npm run executions` prints it. A whole
 * purchaseId is looked up by name, so an old execution is found too.
 */
export const executionsList = async (port: ExecutionsPort, query: ExecutionsQuery, now: Date): Promise<ExecutionsList> => {
  const search = query.search?.trim();
  if (!search) return { executions: (await listExecutions(port, query, now)).map(toRow) };

  if (purchaseIdSchema.safeParse(search).success) {
    const found = await port.describe(search);
    const matches = found && (query.status === undefined || found.status === query.status) ? [found] : [];
    const byName: ExecutionsPort = { ...port, list: async () => matches };
    const lines = await listExecutions(byName, query, now);
    if (lines.length > 0) return { executions: lines.map(toRow), searchedBy: 'name' };
  }

  const needle = search.toLowerCase();
  const window: ExecutionsPort = {
    ...port,
    list: async (windowQuery) => (await port.list({ ...windowQuery, limit: PARTIAL_SEARCH_WINDOW })).filter((e) => e.name.toLowerCase().includes(needle)).slice(0, query.limit),
  };
  return { executions: (await listExecutions(window, query, now)).map(toRow), searchedBy: 'latest' };
};

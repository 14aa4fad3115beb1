import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { closeServer, listenOnLoopback, LOOPBACK_HOST, type Service } from '#local/index';
import { CONTEXT_MAP_PAGE } from '#tools/context-map/embedded-model';
import { findStaticFile } from '#tools/lib/static-files';
import { createClients } from '#tools/ops/clients';
import type { OpsConfig } from '#tools/ops/config';
import { connect } from '#tools/ops/connect';
import { createAccessGate, LOGIN_PATH, newConsoleSecret, OPEN_THE_PRINTED_URL, SECRET_PARAMETER, type AccessGate } from './access.ts';
import { createConsoleApi, type ConsoleAbout, type ConsolePorts } from './api.ts';
import { createSdkWaitingRooms } from './sdk-waiting-rooms.ts';
import { createSfnStateMachine } from './state-machine.ts';

/** The single-page app's files. */
const ASSETS_DIR = join(__dirname, 'assets');

const SECURITY_HEADERS = {
  // Everything comes from this server; nothing inline, nothing from elsewhere.
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const;

export interface ConsoleOptions {
  /** The target, as the operator tools load it (tools/ops/config.ts). */
  readonly config: OpsConfig;
  /** @default 0: any free port */
  readonly port?: number;
  /** Replaces the SDK-backed ports (tests pass fakes). */
  readonly ports?: Partial<ConsolePorts>;
  /** @default docs/context-map.md */
  readonly contextMapFile?: string;
  /** Unexpected API errors. @default written to stderr */
  readonly onError?: (error: unknown) => void;
}

export interface ConsoleService extends Service {
  /** The app's page, e.g. http://127.0.0.1:4200/: it answers only a browser that opened `loginUrl` first. */
  readonly url: string;
  /** The URL to print for the operator: it carries this start's secret and signs the browser in. */
  readonly loginUrl: string;
}

const readIfExists = async (file: string): Promise<string | undefined> => {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
};

const portsFor = (options: ConsoleOptions): ConsolePorts => {
  const given = options.ports ?? {};
  const contextMapPage = given.contextMapPage ?? (() => readIfExists(options.contextMapFile ?? CONTEXT_MAP_PAGE));
  if (given.executions && given.purchases && given.stateMachine && given.waitingRooms) {
    return {
      executions: given.executions,
      purchases: given.purchases,
      stateMachine: given.stateMachine,
      waitingRooms: given.waitingRooms,
      contextMapPage,
      ...(given.archive ? { archive: given.archive } : {}),
    };
  }
  const connected = connect(options.config);
  const clients = createClients(options.config);
  const archive = given.archive ?? connected.archive;
  return {
    executions: given.executions ?? connected.executions,
    purchases: given.purchases ?? connected.purchases,
    stateMachine: given.stateMachine ?? createSfnStateMachine(clients.sfn, options.config.outputs.StateMachineArn),
    waitingRooms: given.waitingRooms ?? createSdkWaitingRooms(clients, options.config.outputs),
    contextMapPage,
    ...(archive ? { archive } : {}),
  };
};

const aboutOf = (config: OpsConfig): ConsoleAbout => ({
  target: config.target,
  name: config.target === 'aws' ? config.stackName : 'local runtime',
  region: config.region,
  stateMachineArn: config.outputs.StateMachineArn,
});

const JSON_TYPE = 'application/json; charset=utf-8';

const send = (response: ServerResponse, status: number, contentType: string, body: string | Buffer) => {
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': contentType });
  response.end(body);
};

/** What a person who opened the bare address sees: no app, only where to find the way in. */
const SIGN_IN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ticketing support console</title></head>
<body><h1>Not signed in</h1><p>To use the support console, ${OPEN_THE_PRINTED_URL}.</p></body></html>
`;

const sendRefusal = (response: ServerResponse, url: URL, status: number, error: string) => {
  if (status === 401 && !url.pathname.startsWith('/api/')) send(response, status, 'text/html; charset=utf-8', SIGN_IN_PAGE);
  else send(response, status, JSON_TYPE, JSON.stringify({ error }));
};

/** Starts the web console: the single-page app and its read-only JSON API. */
export const startConsole = async (options: ConsoleOptions): Promise<ConsoleService> => {
  const onError = options.onError ?? ((error: unknown) => process.stderr.write(`console: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`));
  const api = createConsoleApi({ ports: portsFor(options), about: aboutOf(options.config), onError });

  const secret = newConsoleSecret();

  const handle = async (gate: AccessGate, request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', `http://${LOOPBACK_HOST}`);
    const method = request.method ?? 'GET';
    const access = gate({ method, url, headers: request.headers });
    if (access.kind === 'refuse') {
      sendRefusal(response, url, access.status, access.error);
      return;
    }
    if (access.kind === 'login') {
      // 303 to the bare page: the secret leaves the address bar (and bookmarks) once it is a cookie; a copy left in the history dies with this start.
      response.writeHead(303, { ...SECURITY_HEADERS, 'set-cookie': access.setCookie, location: access.location });
      response.end();
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      const result = await api(method, url);
      send(response, result.status, JSON_TYPE, JSON.stringify(result.body));
      return;
    }
    const file = request.method === 'GET' ? await findStaticFile(url.pathname, ASSETS_DIR) : undefined;
    if (file) send(response, 200, file.contentType, file.body);
    else send(response, 404, 'text/plain; charset=utf-8', 'not found');
  };

  const server = createServer();
  // Loopback only, and behind the access gate (access.ts): against AWS the console reads with the operator's credentials.
  const port = await listenOnLoopback(server, options.port ?? 0, 'the web console');
  // The gate checks the Host header against the port taken, known only now; no request is read before this listener is attached.
  const gate = createAccessGate({ port, secret });
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    handle(gate, request, response).catch((error: unknown) => {
      onError(error);
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'internal error');
      else response.destroy();
    });
  });
  const url = `http://${LOOPBACK_HOST}:${port}/`;
  const loginUrl = new URL(LOGIN_PATH, url);
  loginUrl.searchParams.set(SECRET_PARAMETER, secret);
  return {
    name: 'console',
    endpoint: url,
    url,
    loginUrl: loginUrl.href,
    stop: async () => {
      // The page polls with keep-alive connections: drop them all, not only the idle ones.
      server.closeAllConnections();
      await closeServer(server);
    },
  };
};

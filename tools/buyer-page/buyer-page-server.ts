import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { closeServer, listenOnLoopback, LOOPBACK_HOST, type Service } from '#local/index';
import { loopbackHostsOf } from '#tools/lib/loopback-hosts';
import { findStaticFile } from '#tools/lib/static-files';

/**
 * The buyer page of `npm start`: a small app that buys tickets the way a
 * buyer's app would, through the public HTTP API only. The page and the API
 * have different origins locally, so this server passes `/api/*` on to the
 * API unchanged (as a front end's dev server does) rather than the template
 * opening CORS to localhost on AWS too. It holds no credentials: the page
 * sends the buyer's own bearer token with each call.
 */

const ASSETS_DIR = join(__dirname, 'assets');
const API_PREFIX = '/api/';
/** What the page sends and what the API answers with that the page needs; nothing else crosses. */
const FORWARDED_REQUEST_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'x-admission-token', 'x-correlation-id', 'accept'] as const;
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'location', 'www-authenticate', 'retry-after'] as const;
/** Purchase requests are a few hundred bytes; anything far larger is not the page's. */
const MAX_BODY_BYTES = 64 * 1024;

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const;

export interface BuyerPageOptions {
  /** The HTTP API's base URL, e.g. http://127.0.0.1:4510 */
  readonly apiUrl: string;
  /** @default 0: any free port */
  readonly port?: number;
  /** Unexpected errors. @default written to stderr */
  readonly onError?: (error: unknown) => void;
}

export interface BuyerPageService extends Service {
  readonly url: string;
}

class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

const readBody = async (request: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError(`a request body is at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
};

const sendJson = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
};

const forwardToApi = async (apiUrl: string, request: IncomingMessage, url: URL, response: ServerResponse) => {
  const method = request.method ?? 'GET';
  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') headers.set(name, value);
  }
  const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(request);
  const target = new URL(url.pathname.slice(API_PREFIX.length - 1) + url.search, apiUrl);
  const answer = await fetch(target, { method, headers, ...(body && { body }), redirect: 'manual' });
  const answerHeaders: Record<string, string> = { ...SECURITY_HEADERS };
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = answer.headers.get(name);
    if (value !== null) answerHeaders[name] = value;
  }
  response.writeHead(answer.status, answerHeaders);
  response.end(Buffer.from(await answer.arrayBuffer()));
};

/** Starts the buyer page on loopback; it answers only to its own host names (a rebound DNS name is refused). */
export const startBuyerPage = async (options: BuyerPageOptions): Promise<BuyerPageService> => {
  const onError = options.onError ?? ((error: unknown) => process.stderr.write(`buyer page: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`));
  const server = createServer();
  const port = await listenOnLoopback(server, options.port ?? 0, 'the buyer page');
  const hosts = loopbackHostsOf(port);

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (!hosts.has((request.headers.host ?? '').toLowerCase())) {
      sendJson(response, 421, { error: 'MisdirectedRequest', message: `this page answers only to 127.0.0.1:${port} or localhost:${port}` });
      return;
    }
    const url = new URL(request.url ?? '/', `http://${LOOPBACK_HOST}`);
    if (url.pathname.startsWith(API_PREFIX)) {
      await forwardToApi(options.apiUrl, request, url, response);
      return;
    }
    const file = request.method === 'GET' ? await findStaticFile(url.pathname, ASSETS_DIR) : undefined;
    if (file) {
      response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': file.contentType });
      response.end(file.body);
    } else sendJson(response, 404, { error: 'NotFound', message: `nothing at ${url.pathname}` });
  };

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) {
        if (!response.headersSent) sendJson(response, 413, { error: 'PayloadTooLarge', message: error.message });
        return;
      }
      onError(error);
      if (!response.headersSent) sendJson(response, 502, { error: 'BadGateway', message: 'The HTTP API did not answer; is the local runtime running?' });
      else response.destroy();
    });
  });
  const url = `http://${LOOPBACK_HOST}:${port}/`;
  return {
    name: 'buyer page',
    endpoint: url,
    url,
    stop: async () => {
      server.closeAllConnections();
      await closeServer(server);
    },
  };
};

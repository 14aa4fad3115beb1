import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback } from '#local/api/listen';
import { awsJsonContentType, awsJsonErrorBody } from '#local/aws-json-server';

/**
 * A proxy in front of a local service that speaks an AWS JSON protocol
 * (POST / with `X-Amz-Target: <Service>.<Operation>`: DynamoDB, Step
 * Functions, EventBridge, SQS). Interceptors see each request and decide its
 * fate: pass it on, answer it themselves, delay it, rewrite it or its
 * answer, or just observe. The runtime puts one in front of a service for
 * the functions only, so what it does (enforce their roles, count writes,
 * inject faults) never touches the view that tools and tests have.
 */

interface ProxiedRequest {
  /** The operation, from X-Amz-Target (`DynamoDB_20120810.PutItem` → `PutItem`). */
  readonly operation: string;
  readonly body: string;
  /** The request's headers, e.g. the SigV4 Authorization that names the caller's access key. */
  readonly headers?: IncomingHttpHeaders;
}

export interface ProxiedResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Passes the request (its body possibly rewritten) to the next interceptor, and after the last to the service. */
export type Forward = (body?: string) => Promise<ProxiedResponse>;

export type Interceptor = (request: ProxiedRequest, forward: Forward) => Promise<ProxiedResponse>;

export interface AwsJsonProxy {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export interface AwsJsonProxyOptions {
  /** The service's endpoint, e.g. `http://127.0.0.1:8000`. */
  readonly target: string;
  /** Applied in order: the first sees the request first and the answer last. */
  readonly interceptors: readonly Interceptor[];
  /** How a port conflict names the proxy. */
  readonly name: string;
  /** @default 0: a free port */
  readonly port?: number;
}

/** An error answer in the AWS JSON protocols' shape, from which the SDK raises the named exception. */
export const awsJsonError = (status: number, type: string, message: string, extra: Record<string, unknown> = {}): ProxiedResponse => ({
  status,
  headers: { 'content-type': awsJsonContentType('1.0'), 'x-amzn-errortype': type },
  body: Buffer.from(JSON.stringify(awsJsonErrorBody(type, message, extra))),
});

/** A JSON answer with the headers of the upstream answer it replaces (its length recomputed). */
export const withJsonBody = (response: ProxiedResponse, body: unknown): ProxiedResponse => {
  const { 'content-length': _length, 'x-amz-crc32': _checksum, ...headers } = response.headers;
  return { ...response, headers, body: Buffer.from(JSON.stringify(body)) };
};

const readBody = (incoming: IncomingMessage): Promise<Buffer> =>
  new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolveBody(Buffer.concat(chunks)));
    incoming.on('error', reject);
  });

const operationOf = (headers: IncomingHttpHeaders): string => String(headers['x-amz-target'] ?? '').split('.').at(-1) ?? '';

export const startAwsJsonProxy = async (options: AwsJsonProxyOptions): Promise<AwsJsonProxy> => {
  const upstream = new URL(options.target);

  const send = (incoming: IncomingMessage, body: string): Promise<ProxiedResponse> =>
    new Promise((resolveResponse, reject) => {
      const { 'content-length': _length, ...headers } = incoming.headers;
      const proxied = request(
        { hostname: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (response) => {
          readBody(response).then((responseBody) => resolveResponse({ status: response.statusCode ?? 502, headers: response.headers, body: responseBody }), reject);
        },
      );
      proxied.on('error', reject);
      proxied.end(body);
    });

  const handle = async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    try {
      const original: ProxiedRequest = { operation: operationOf(incoming.headers), body: (await readBody(incoming)).toString('utf8'), headers: incoming.headers };
      const through = (index: number, current: ProxiedRequest): Promise<ProxiedResponse> => {
        const interceptor = options.interceptors[index];
        if (!interceptor) return send(incoming, current.body);
        return interceptor(current, (body) => through(index + 1, body === undefined ? current : { ...current, body }));
      };
      const response = await through(0, original);
      const { 'content-length': _length, 'transfer-encoding': _encoding, ...headers } = response.headers;
      outgoing.writeHead(response.status, { ...headers, 'content-length': response.body.length });
      outgoing.end(response.body);
    } catch {
      // The service is unreachable (stopping, or gone): the caller sees what a dropped connection looks like.
      outgoing.writeHead(502);
      outgoing.end();
    }
  };

  const server = createServer((incoming, outgoing) => void handle(incoming, outgoing));
  const port = await listenOnLoopback(server, options.port ?? 0, options.name);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      server.closeAllConnections();
      await closeServer(server);
    },
  };
};

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Service } from '#local/ports';
import type { LocalEventBridge } from './bus.ts';
import { EventBridgeApiError } from './errors.ts';
import { invokeOperation } from './operations.ts';

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const LOCALHOST = '127.0.0.1';
/** Well above PutEvents' 256 KB, so AWS's own limit is the one callers meet. */
const MAX_BODY_BYTES = 1024 * 1024;

class RequestTooLargeError extends Error {
  override readonly name = 'RequestTooLargeError';
}

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new RequestTooLargeError(`request body over ${MAX_BODY_BYTES} bytes`));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });

/** JSON 1.1 sends timestamps as epoch seconds. */
const toWire = (value: unknown): unknown => {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined).map(([key, item]) => [key, toWire(item)]));
  }
  return value;
};

const send = (response: ServerResponse, status: number, body: unknown, errorType?: string) => {
  response.writeHead(status, {
    'Content-Type': CONTENT_TYPE,
    'x-amzn-RequestId': randomUUID(),
    ...(errorType && { 'x-amzn-ErrorType': errorType }),
  });
  response.end(JSON.stringify(body));
};

const sendError = (response: ServerResponse, error: EventBridgeApiError) =>
  send(response, error.statusCode, { __type: error.type, message: error.message }, error.type);

const parseJson = (text: string): unknown => {
  try {
    return text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new EventBridgeApiError('SerializationException', 'The request body is not valid JSON.');
  }
};

const handle = async (bridge: LocalEventBridge, request: IncomingMessage, response: ServerResponse) => {
  try {
    if (request.method !== 'POST') throw new EventBridgeApiError('UnknownOperationException', 'EventBridge only accepts POST requests.');
    const target = request.headers['x-amz-target'];
    if (typeof target !== 'string') throw new EventBridgeApiError('UnknownOperationException', 'Missing X-Amz-Target header.');
    const body = parseJson(await readBody(request));
    send(response, 200, toWire(await invokeOperation(bridge, target, body)));
  } catch (error) {
    if (error instanceof EventBridgeApiError) return sendError(response, error);
    if (error instanceof RequestTooLargeError) return sendError(response, new EventBridgeApiError('ValidationException', error.message, 413));
    console.error('[eventbridge] unexpected error', error);
    sendError(response, new EventBridgeApiError('InternalException', error instanceof Error ? error.message : String(error), 500));
  }
};

/** The EventBridge endpoint: `AWS_ENDPOINT_URL_EVENTBRIDGE` for SDK clients, `--endpoint-url` for the CLI. */
export interface EventBridgeService extends Service {
  readonly bridge: LocalEventBridge;
}

export interface EventBridgeServerOptions {
  /** @default 0, a free port */
  readonly port?: number;
}

const listen = (server: Server, port: number) =>
  new Promise<AddressInfo>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EADDRINUSE' ? 'the port is already in use' : error.message;
      reject(new Error(`The local EventBridge could not listen on ${LOCALHOST}:${port}: ${reason}`, { cause: error }));
    };
    server.once('error', onError);
    server.listen(port, LOCALHOST, () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('The local EventBridge server has no TCP address'));
      resolve(address);
    });
  });

/**
 * Serves the EventBridge JSON 1.1 protocol (POST /, X-Amz-Target:
 * AWSEvents.<Action>) on 127.0.0.1, so `@aws-sdk/client-eventbridge` and
 * `aws events ... --endpoint-url` work against the local bus. Errors carry
 * AWS's `__type`, so the SDK raises the same named exceptions. Stopping the
 * service closes the port, then stops the bus's deliveries and replays.
 */
export const startEventBridgeServer = async (bridge: LocalEventBridge, options: EventBridgeServerOptions = {}): Promise<EventBridgeService> => {
  const server = createServer((request, response) => void handle(bridge, request, response));
  const address = await listen(server, options.port ?? 0);
  return {
    name: 'eventbridge',
    endpoint: `http://${LOCALHOST}:${address.port}`,
    bridge,
    stop: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      await bridge.stop();
    },
  };
};

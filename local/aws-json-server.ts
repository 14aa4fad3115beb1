import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { closeServer, LOOPBACK_HOST, listenOnLoopback } from '#local/api/listen';

/**
 * The server side of AWS's JSON protocols, as the local Step Functions
 * (JSON 1.0) and EventBridge (JSON 1.1) speak them: POST / with
 * `X-Amz-Target: <prefix><Operation>` and a JSON body, answered with JSON
 * where timestamps are epoch seconds. Errors answer with
 * `{ "__type": "<ExceptionName>", "message" }` and the same name in
 * `x-amzn-ErrorType`, from which the SDK raises its named exception classes,
 * so `endpoint` in an SDK client or `--endpoint-url` in the CLI works as
 * against AWS. Requests are not authenticated.
 */

/** An error the protocol answers with: `type` is AWS's exception name. */
export class AwsJsonError extends Error {
  override readonly name: string = 'AwsJsonError';
  constructor(
    readonly type: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
  }
}

/** The error body of the protocol. */
export const awsJsonErrorBody = (type: string, message: string, extra: Record<string, unknown> = {}) => ({ __type: type, message, ...extra });

export const awsJsonContentType = (version: AwsJsonVersion) => `application/x-amz-json-${version}`;

type AwsJsonVersion = '1.0' | '1.1';

/** Answers one operation's request body. A ZodError thrown here answers ValidationException. */
export type AwsJsonOperation<Context> = (context: Context, body: unknown) => unknown;

export interface AwsJsonServerOptions<Context> {
  /** Names the service where a port conflict is reported, e.g. `Step Functions`. */
  readonly serviceName: string;
  readonly jsonVersion: AwsJsonVersion;
  /** X-Amz-Target up to the operation name, e.g. `AWSStepFunctions.`. */
  readonly targetPrefix: string;
  /** The operations served, by name; any other answers UnknownOperationException. */
  readonly operations: Readonly<Record<string, AwsJsonOperation<Context>>>;
  /** What every operation is called with. */
  readonly context: Context;
  /** A larger request answers 413 ValidationException. */
  readonly maxBodyBytes: number;
  /** The exception an unexpected failure answers with. @default 'InternalFailure' */
  readonly internalErrorType?: string;
  /** @default 0: a free port */
  readonly port?: number;
}

export interface AwsJsonServer {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

class RequestTooLargeError extends Error {
  override readonly name = 'RequestTooLargeError';
}

const readBody = (request: IncomingMessage, maxBytes: number) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // The rest of an oversized body is still read, and dropped, so the answer reaches the caller.
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) reject(new RequestTooLargeError(`Request body larger than ${maxBytes} bytes`));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });

const parseBody = (text: string): unknown => {
  try {
    return text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new AwsJsonError('SerializationException', 'The request body is not valid JSON.');
  }
};

/** The JSON protocols send timestamps as epoch seconds; absent members are left out. */
const toWire = (value: unknown): unknown => {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined).map(([key, item]) => [key, toWire(item)]));
  }
  return value;
};

const asAwsJsonError = (error: unknown, internalErrorType: string): AwsJsonError => {
  if (error instanceof AwsJsonError) return error;
  if (error instanceof z.ZodError) return new AwsJsonError('ValidationException', z.prettifyError(error));
  if (error instanceof RequestTooLargeError) return new AwsJsonError('ValidationException', error.message, 413);
  return new AwsJsonError(internalErrorType, error instanceof Error ? error.message : String(error), 500);
};

export const startAwsJsonServer = async <Context>(options: AwsJsonServerOptions<Context>): Promise<AwsJsonServer> => {
  const contentType = awsJsonContentType(options.jsonVersion);
  const internalErrorType = options.internalErrorType ?? 'InternalFailure';

  const send = (response: ServerResponse, status: number, body: unknown, errorType?: string) => {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'Content-Type': contentType,
      'Content-Length': Buffer.byteLength(text),
      'x-amzn-RequestId': randomUUID(),
      ...(errorType !== undefined && { 'x-amzn-ErrorType': errorType }),
    });
    response.end(text);
  };

  const operationOf = (request: IncomingMessage): AwsJsonOperation<Context> => {
    const target = request.headers['x-amz-target'];
    if (request.method !== 'POST') throw new AwsJsonError('UnknownOperationException', `${options.serviceName} only accepts POST requests.`);
    if (typeof target !== 'string') throw new AwsJsonError('UnknownOperationException', 'Missing X-Amz-Target header.');
    const name = target.startsWith(options.targetPrefix) ? target.slice(options.targetPrefix.length) : undefined;
    const operation = name === undefined || !Object.hasOwn(options.operations, name) ? undefined : options.operations[name];
    if (!operation) throw new AwsJsonError('UnknownOperationException', `Operation ${target} is not supported locally.`);
    return operation;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    try {
      const operation = operationOf(request);
      const body = parseBody(await readBody(request, options.maxBodyBytes));
      send(response, 200, toWire((await operation(options.context, body)) ?? {}));
    } catch (error) {
      const answer = asAwsJsonError(error, internalErrorType);
      if (answer.statusCode >= 500) console.error(`[${options.serviceName}] unexpected error`, error);
      send(response, answer.statusCode, awsJsonErrorBody(answer.type, answer.message), answer.type);
    }
  };

  const server = createServer((request, response) => void handle(request, response));
  const port = await listenOnLoopback(server, options.port ?? 0, options.serviceName);
  return {
    endpoint: `http://${LOOPBACK_HOST}:${port}`,
    port,
    stop: async () => {
      server.closeAllConnections();
      await closeServer(server);
    },
  };
};

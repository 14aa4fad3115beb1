import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { isAddressInUse, PortInUseError } from '#local/api/listen';
import type { Service } from '#local/ports';
import type { LocalStepFunctions } from './local-step-functions.ts';
import { OPERATIONS } from './protocol.ts';
import { ServiceError, type ServiceErrorCode } from './service-errors.ts';

/**
 * The Step Functions endpoint on 127.0.0.1: POST / with
 * `X-Amz-Target: AWSStepFunctions.<Operation>` and an
 * application/x-amz-json-1.0 body, which is what @aws-sdk/client-sfn (with
 * `endpoint`) and the AWS CLI (with `--endpoint-url`) send. Errors answer
 * 400 with `{ "__type": "<ExceptionName>", "message" }`, from which the SDK
 * raises its named exceptions. Requests are not authenticated.
 */
export interface StepFunctionsServerOptions {
  readonly stepFunctions: LocalStepFunctions;
  /** @default 0: a free port */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
}

export interface StepFunctionsServer extends Service {
  readonly port: number;
}

const TARGET_PREFIX = 'AWSStepFunctions.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
/** Generous for 256 KiB inputs escaped inside JSON strings. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

class RequestTooLargeError extends Error {
  override readonly name = 'RequestTooLargeError';
}

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new RequestTooLargeError(`Request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
};

const send = (response: ServerResponse, status: number, body: unknown, errorType?: string) => {
  const text = JSON.stringify(body ?? {});
  response.writeHead(status, {
    'Content-Type': CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    ...(errorType ? { 'x-amzn-ErrorType': errorType } : {}),
  });
  response.end(text);
};

const sendError = (response: ServerResponse, status: number, code: ServiceErrorCode | 'InternalFailure', message: string) =>
  send(response, status, { __type: code, message }, code);

const parseBody = (text: string): unknown => {
  try {
    return text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new ServiceError('SerializationException', 'The request body is not valid JSON');
  }
};

const handle = async (stepFunctions: LocalStepFunctions, request: IncomingMessage, response: ServerResponse) => {
  const target = request.headers['x-amz-target'];
  const operationName = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
  const operation = operationName === undefined ? undefined : OPERATIONS[operationName];
  try {
    if (request.method !== 'POST' || !operation) {
      throw new ServiceError('UnknownOperationException', `Unknown operation: ${String(target)}`);
    }
    send(response, 200, await operation(stepFunctions, parseBody(await readBody(request))));
  } catch (error) {
    if (error instanceof ServiceError) return sendError(response, 400, error.code, error.message);
    if (error instanceof z.ZodError) return sendError(response, 400, 'ValidationException', z.prettifyError(error));
    if (error instanceof RequestTooLargeError) return sendError(response, 400, 'ValidationException', error.message);
    sendError(response, 500, 'InternalFailure', error instanceof Error ? error.message : String(error));
  }
};

/** How a port conflict names this service. */
export const STEP_FUNCTIONS_SERVICE_NAME = 'Step Functions';

export const startStepFunctionsServer = async (options: StepFunctionsServerOptions): Promise<StepFunctionsServer> => {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((request, response) => void handle(options.stepFunctions, request, response));
  await new Promise<void>((resolve, reject) => {
    // A taken port is named with the service, so the user knows what to stop or which port to change.
    const onError = (error: unknown) => reject(isAddressInUse(error) ? new PortInUseError(STEP_FUNCTIONS_SERVICE_NAME, options.port ?? 0, { cause: error }) : error);
    server.once('error', onError);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    name: 'stepfunctions',
    endpoint: `http://${host}:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
};

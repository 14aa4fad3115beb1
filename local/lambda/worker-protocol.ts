import { z } from 'zod';

/**
 * Messages between a function's worker thread (function-worker-entry.mjs)
 * and the runtime. What the worker sends is parsed, not trusted: handler
 * code runs in that thread.
 */

/** The data a worker starts with. */
export interface WorkerData {
  readonly codeDir: string;
  readonly handler: string;
  readonly functionName: string;
  readonly memoryMb: number;
  readonly logGroupName: string;
  readonly logStreamName: string;
}

export type MessageToWorker =
  | { readonly type: 'invoke'; readonly requestId: string; readonly event: string; readonly deadline: number; readonly invokedFunctionArn: string }
  | { readonly type: 'ping'; readonly id: number };

const lambdaErrorSchema = z.object({
  errorType: z.string(),
  errorMessage: z.string(),
  trace: z.array(z.string()).default([]),
});
export type LambdaErrorPayload = z.infer<typeof lambdaErrorSchema>;

export const messageFromWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('init-error'), error: lambdaErrorSchema }),
  z.object({ type: z.literal('result'), requestId: z.string(), payload: z.string() }),
  z.object({ type: z.literal('error'), requestId: z.string(), error: lambdaErrorSchema }),
  z.object({ type: z.literal('crash'), error: lambdaErrorSchema }),
  z.object({ type: z.literal('pong'), id: z.number() }),
]);

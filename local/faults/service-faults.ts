import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { awsJsonError, withJsonBody, type Interceptor } from '#local/proxy/aws-json-proxy';
import type { FaultDraws } from './fault-draws.ts';

/**
 * The chaos settings at the service boundaries the functions call through a
 * proxy (local/proxy/aws-json-proxy.ts): DynamoDB, Step Functions and
 * EventBridge answer the way those services fail, with the status codes and
 * `__type`s the SDK turns into its named exceptions (and retries, where the
 * SDK retries them).
 */

const DYNAMODB_ERROR_PREFIX = 'com.amazonaws.dynamodb.v20120810#';
const DYNAMODB_MIN_LATENCY_MS = 50;
const DYNAMODB_MAX_LATENCY_MS = 500;
const FAULT_MESSAGE = 'injected by the local chaos settings';

const transactWriteSchema = z.object({ TransactItems: z.array(z.unknown()) });

const dynamoDbError = (status: number, name: string, message: string, extra?: Record<string, unknown>) =>
  awsJsonError(status, `${DYNAMODB_ERROR_PREFIX}${name}`, message, extra);

/** One reason per item, as DynamoDB lists them: `None` for the items that did not cause the cancellation. */
const transactionConflict = (body: string, pick: number) => {
  const parsed = transactWriteSchema.safeParse(JSON.parse(body));
  const items = parsed.success ? Math.max(parsed.data.TransactItems.length, 1) : 1;
  const conflicting = Math.floor(pick * items);
  const reasons = Array.from({ length: items }, (_, index) =>
    index === conflicting ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' } : { Code: 'None' },
  );
  const codes = reasons.map((reason) => reason.Code).join(', ');
  return dynamoDbError(400, 'TransactionCanceledException', `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`, {
    CancellationReasons: reasons,
  });
};

export const dynamoDbFaults =
  (draws: FaultDraws): Interceptor =>
  async (request, forward) => {
    if (draws.draw('dynamodb.latency')) {
      const detail = draws.detail('dynamodb.latency');
      await sleep(DYNAMODB_MIN_LATENCY_MS + Math.floor(detail * (DYNAMODB_MAX_LATENCY_MS - DYNAMODB_MIN_LATENCY_MS)));
    }
    const kind =
      request.operation === 'TransactWriteItems'
        ? draws.draw('dynamodb.throttled', 'dynamodb.transactionConflict', 'dynamodb.internalError')
        : draws.draw('dynamodb.throttled', 'dynamodb.internalError');
    switch (kind) {
      case 'dynamodb.throttled':
        return draws.detail(kind) < 0.5
          ? dynamoDbError(400, 'ThrottlingException', `Rate of requests exceeds the allowed throughput (${FAULT_MESSAGE})`)
          : dynamoDbError(400, 'ProvisionedThroughputExceededException', `The level of configured provisioned throughput for the table was exceeded (${FAULT_MESSAGE})`);
      case 'dynamodb.transactionConflict':
        return transactionConflict(request.body, draws.detail(kind));
      case 'dynamodb.internalError': {
        const internalError = dynamoDbError(500, 'InternalServerError', `Internal server error (${FAULT_MESSAGE})`);
        // DynamoDB may fail before or after it carried the request out: the caller cannot tell which.
        if (draws.detail(kind) < 0.5) return internalError;
        await forward();
        return internalError;
      }
      default:
        return forward();
    }
  };

export const stepFunctionsFaults =
  (draws: FaultDraws): Interceptor =>
  async (request, forward) => {
    if (request.operation === 'StartExecution' && draws.draw('sfn.startExecutionThrottled')) {
      return awsJsonError(400, 'ThrottlingException', `Rate exceeded (${FAULT_MESSAGE})`);
    }
    return forward();
  };

const putEventsRequestSchema = z.object({ Entries: z.array(z.unknown()) }).loose();
const putEventsResponseSchema = z.object({
  FailedEntryCount: z.number().int(),
  Entries: z.array(z.record(z.string(), z.unknown())),
});

/** Which entries fail: at least one, and (when there are several) not all, so the call really is partial. */
const failingEntries = (count: number, draw: () => number): ReadonlySet<number> => {
  const failing = new Set<number>();
  for (let index = 0; index < count; index++) if (draw() < 0.5) failing.add(index);
  const pivot = Math.floor(draw() * count);
  if (failing.size === 0) failing.add(pivot);
  if (count > 1 && failing.size === count) failing.delete(pivot);
  return failing;
};

export const eventBridgeFaults =
  (draws: FaultDraws): Interceptor =>
  async (request, forward) => {
    if (request.operation !== 'PutEvents') return forward();
    const kind = draws.draw('eventbridge.putEventsFailed', 'eventbridge.putEventsPartiallyFailed');
    if (kind === 'eventbridge.putEventsFailed') {
      return draws.detail(kind) < 0.5
        ? awsJsonError(500, 'InternalException', `Internal service error (${FAULT_MESSAGE})`)
        : awsJsonError(400, 'ThrottlingException', `Rate exceeded (${FAULT_MESSAGE})`);
    }
    const parsed = putEventsRequestSchema.safeParse(JSON.parse(request.body));
    if (kind !== 'eventbridge.putEventsPartiallyFailed' || !parsed.success || parsed.data.Entries.length === 0) return forward();

    const entries = parsed.data.Entries;
    const failing = failingEntries(entries.length, () => draws.detail(kind));
    const failed = { ErrorCode: 'InternalFailure', ErrorMessage: `Internal failure (${FAULT_MESSAGE})` };
    // Every entry failed (a lone entry can only fail whole): nothing to forward, and EventBridge refuses an empty PutEvents.
    if (failing.size === entries.length) {
      return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: Buffer.from(JSON.stringify({ FailedEntryCount: entries.length, Entries: entries.map(() => failed) })) };
    }
    const response = await forward(JSON.stringify({ ...parsed.data, Entries: entries.filter((_, index) => !failing.has(index)) }));
    const accepted = response.status === 200 ? putEventsResponseSchema.safeParse(JSON.parse(response.body.toString('utf8'))) : undefined;
    if (!accepted?.success) return response;
    const answers = [...accepted.data.Entries];
    return withJsonBody(response, {
      FailedEntryCount: accepted.data.FailedEntryCount + failing.size,
      Entries: entries.map((_, index) => (failing.has(index) ? failed : answers.shift())),
    });
  };

import { ConditionalCheckFailedException, DeleteItemCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { z } from 'zod';
import type { createStepHandler as CreateStepHandler } from '#commons/step-handler';
import { SeatsUnavailableError } from '#domain/errors';
import { SeatsReleasedEvent } from '#events/seats-released';
import { useHandlerEnv } from '../fixtures/http-event.ts';
import { STEP_TEST_ENV, idempotencyStoreAcceptsEverything, lambdaContext, sagaContext } from '../fixtures/saga-step.ts';

const dynamoDb = mockClient(DynamoDBClient);

useHandlerEnv(STEP_TEST_ENV);
let createStepHandler: typeof CreateStepHandler;
let eventMetadataFor: (typeof import('#commons/step-handler'))['eventMetadataFor'];
let powertools: typeof import('#commons/powertools');
beforeAll(async () => {
  ({ createStepHandler, eventMetadataFor } = await import('#commons/step-handler'));
  powertools = await import('#commons/powertools');
});

const payloadSchema = z.object({ purchaseId: z.string(), seats: z.number() });

/** A step that counts its runs and answers with them, or fails with what it is told to throw. */
const countingStep = (failure?: unknown) => {
  const runs: Array<z.infer<typeof payloadSchema>> = [];
  const handler = createStepHandler({
    name: 'count-seats',
    parse: (event) => payloadSchema.parse(event),
    purchaseIdPath: 'purchaseId',
    purchaseIdOf: (payload) => payload.purchaseId,
    run: async (payload) => {
      runs.push(payload);
      if (failure) throw failure;
      return { counted: payload.seats };
    },
  });
  return { handler, runs };
};

beforeEach(() => dynamoDb.reset());

/** Idempotency records expire in epoch seconds, as the TTL attribute. */
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

test('runs the step with the parsed payload and returns its result', async () => {
  idempotencyStoreAcceptsEverything(dynamoDb);
  const { handler, runs } = countingStep();

  await expect(handler({ purchaseId: 'purchase-1', seats: 2, ignored: true }, lambdaContext())).resolves.toEqual({ counted: 2 });
  expect(runs).toEqual([{ purchaseId: 'purchase-1', seats: 2 }]);
});

test('stores the result under the step\'s key prefix and the purchase', async () => {
  idempotencyStoreAcceptsEverything(dynamoDb);
  const { handler } = countingStep();

  await handler({ purchaseId: 'purchase-1', seats: 2 }, lambdaContext());

  const put = dynamoDb.commandCalls(PutItemCommand)[0]?.args[0].input;
  expect(put?.TableName).toBe('idempotency');
  expect(put?.Item?.id?.S).toMatch(/^count-seats#\S+$/);
  expect(dynamoDb.commandCalls(UpdateItemCommand)[0]?.args[0].input.ExpressionAttributeValues?.[':response_data']).toEqual({ M: { counted: { N: '2' } } });
});

test('keys the idempotency record by the purchaseId alone: other payload fields do not change it', async () => {
  // Prepare
  idempotencyStoreAcceptsEverything(dynamoDb);
  const { handler } = countingStep();

  // Act: one purchase run with two different payloads, then another purchase with the first payload's fields
  await handler({ purchaseId: 'purchase-1', seats: 2 }, lambdaContext());
  await handler({ purchaseId: 'purchase-1', seats: 3 }, lambdaContext());
  await handler({ purchaseId: 'purchase-2', seats: 2 }, lambdaContext());

  // Assess
  const [first, rerun, other] = dynamoDb.commandCalls(PutItemCommand).map((call) => call.args[0].input.Item?.id?.S);
  expect(first).toMatch(/^count-seats#\S+$/);
  expect(rerun).toBe(first);
  expect(other).not.toBe(first);
});

test('a step that already completed for the purchase returns its stored result without running', async () => {
  const completed = { id: { S: 'count-seats#x' }, status: { S: 'COMPLETED' }, data: { M: { counted: { N: '7' } } }, expiration: { N: String(inAnHour()) } };
  dynamoDb.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {}, Item: completed }));
  const { handler, runs } = countingStep();

  await expect(handler({ purchaseId: 'purchase-1', seats: 2 }, lambdaContext())).resolves.toEqual({ counted: 7 });
  expect(runs).toHaveLength(0);
});

test('a run still in progress for the purchase fails with the error the machine retries', async () => {
  const inProgress = { id: { S: 'count-seats#x' }, status: { S: 'INPROGRESS' }, expiration: { N: String(inAnHour()) }, in_progress_expiration: { N: String(Date.now() + 60_000) } };
  dynamoDb.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {}, Item: inProgress }));
  const { handler } = countingStep();

  await expect(handler({ purchaseId: 'purchase-1', seats: 2 }, lambdaContext())).rejects.toMatchObject({ name: 'IdempotencyAlreadyInProgressError' });
});

test('a failed step keeps its error name and leaves no record behind, so a retry runs it again', async () => {
  idempotencyStoreAcceptsEverything(dynamoDb);
  const { handler } = countingStep(new SeatsUnavailableError(['A-1']));

  await expect(handler({ purchaseId: 'purchase-1', seats: 2 }, lambdaContext())).rejects.toMatchObject({ name: 'SeatsUnavailable' });
  expect(dynamoDb.commandCalls(DeleteItemCommand)).toHaveLength(1);
});

test('an unreachable idempotency table is DependencyUnavailable', async () => {
  dynamoDb.on(PutItemCommand).rejects(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
  const { handler, runs } = countingStep();

  await expect(handler({ purchaseId: 'purchase-1', seats: 2 }, lambdaContext())).rejects.toMatchObject({ name: 'DependencyUnavailable' });
  expect(runs).toHaveLength(0);
});

test('steps in one process each keep their own idempotency key path', async () => {
  idempotencyStoreAcceptsEverything(dynamoDb);
  const nested = createStepHandler({
    name: 'nested-step',
    parse: (event) => z.object({ saga: payloadSchema }).parse(event),
    purchaseIdPath: 'saga.purchaseId',
    purchaseIdOf: (payload) => payload.saga.purchaseId,
    run: async (payload) => ({ counted: payload.saga.seats }),
  });
  await countingStep().handler({ purchaseId: 'purchase-1', seats: 2 }, lambdaContext());

  await expect(nested({ saga: { purchaseId: 'purchase-1', seats: 3 } }, lambdaContext())).resolves.toEqual({ counted: 3 });
  expect(dynamoDb.commandCalls(PutItemCommand).map((call) => call.args[0].input.Item?.id?.S?.split('#')[0])).toEqual(['count-seats', 'nested-step']);
});

test('a payload that does not parse is rejected before the idempotency store is touched', async () => {
  const { handler } = countingStep();

  await expect(handler({ seats: 'two' }, lambdaContext())).rejects.toMatchObject({ name: 'ZodError' });
  expect(dynamoDb.calls()).toHaveLength(0);
});

test('event metadata carries the purchase, its correlation id and an id that is the same on every run', () => {
  const now = new Date('2026-11-26T10:00:00.000Z');

  expect(eventMetadataFor(SeatsReleasedEvent, sagaContext, now)).toEqual({
    eventId: 'purchase-0001:SeatsReleased.v1',
    ...sagaContext,
    occurredAt: '2026-11-26T10:00:00.000Z',
  });
});

describe('what a step tells logs and traces', () => {
  afterEach(() => jest.restoreAllMocks());

  test('tags every log line and the trace with the purchaseId, and logs the completed step by name', async () => {
    // Prepare
    idempotencyStoreAcceptsEverything(dynamoDb);
    const appendKeys = jest.spyOn(powertools.logger, 'appendKeys');
    const annotate = jest.spyOn(powertools.tracer, 'putAnnotation');
    const info = jest.spyOn(powertools.logger, 'info');

    // Act
    await countingStep().handler({ purchaseId: 'purchase-1', seats: 2 }, lambdaContext());

    // Assess
    expect(appendKeys).toHaveBeenCalledWith({ purchaseId: 'purchase-1' });
    expect(annotate).toHaveBeenCalledWith('purchaseId', 'purchase-1');
    expect(info).toHaveBeenCalledWith('Step completed', { step: 'count-seats' });
  });

  test('logs a failed step with the error the state machine sees, then drops the purchase from the log keys', async () => {
    // Prepare
    dynamoDb.on(PutItemCommand).rejects(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const warn = jest.spyOn(powertools.logger, 'warn');
    const reset = jest.spyOn(powertools.logger, 'resetKeys');

    // Act
    await countingStep().handler({ purchaseId: 'purchase-1', seats: 2 }, lambdaContext()).catch(() => undefined);

    // Assess
    expect(warn).toHaveBeenCalledWith('Step failed', { step: 'count-seats', error: expect.objectContaining({ name: 'DependencyUnavailable' }) });
    expect(reset).toHaveBeenCalledTimes(1);
  });

  test('runs the step in a subsegment named after it, closed afterwards with the parent segment restored', async () => {
    // Prepare
    idempotencyStoreAcceptsEverything(dynamoDb);
    const subsegment = { close: jest.fn() };
    const parent = { addNewSubsegment: jest.fn(() => subsegment) };
    jest.spyOn(powertools.tracer, 'getSegment').mockReturnValue(parent as never);
    const setSegment = jest.spyOn(powertools.tracer, 'setSegment').mockImplementation(() => undefined);

    // Act
    await countingStep().handler({ purchaseId: 'purchase-1', seats: 2 }, lambdaContext());

    // Assess
    expect(parent.addNewSubsegment).toHaveBeenCalledWith('## count-seats');
    expect(subsegment.close).toHaveBeenCalledTimes(1);
    expect(setSegment.mock.calls).toEqual([[subsegment], [parent]]);
  });

  test('records a failing step\'s error on its trace', async () => {
    // Prepare
    idempotencyStoreAcceptsEverything(dynamoDb);
    const addError = jest.spyOn(powertools.tracer, 'addErrorAsMetadata').mockImplementation(() => undefined);
    const failure = new SeatsUnavailableError(['A-1']);

    // Act
    await countingStep(failure).handler({ purchaseId: 'purchase-1', seats: 2 }, lambdaContext()).catch(() => undefined);

    // Assess
    expect(addError).toHaveBeenCalledWith(failure);
  });
});

import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { makeIdempotentStep as MakeIdempotentStep } from '#commons/idempotency';
import { useHandlerEnv } from '../fixtures/http-event.ts';
import { STEP_TEST_ENV, idempotencyStoreAcceptsEverything, lambdaContext } from '../fixtures/saga-step.ts';

const dynamoDb = mockClient(DynamoDBClient);

useHandlerEnv(STEP_TEST_ENV);
let makeIdempotentStep: typeof MakeIdempotentStep;
let recordSeconds: number;
beforeAll(async () => {
  ({ makeIdempotentStep, IDEMPOTENCY_RECORD_SECONDS: recordSeconds } = await import('#commons/idempotency'));
});

beforeEach(() => {
  dynamoDb.reset();
  idempotencyStoreAcceptsEverything(dynamoDb);
});

/** A step that counts its runs. */
const countingStep = (keyPrefix: string) => {
  const runs: unknown[] = [];
  const step = makeIdempotentStep(
    async (payload: Record<string, unknown>) => {
      runs.push(payload);
      return { ok: true };
    },
    { keyPrefix, eventKeyJmesPath: 'purchaseId' },
  );
  return { step, runs };
};

it('refuses a payload without the key rather than run it unprotected', async () => {
  // Prepare
  const { step, runs } = countingStep('keyless');

  // Act
  const running = step({ seats: 2 }, lambdaContext());

  // Assess
  await expect(running).rejects.toMatchObject({ cause: { name: 'IdempotencyKeyError' } });
  expect(runs).toHaveLength(0);
});

it('keeps a record for a day, past the execution and its redrives', async () => {
  // Prepare
  const { step } = countingStep('day-long');
  const before = Math.floor(Date.now() / 1000);

  // Act
  await step({ purchaseId: 'purchase-1' }, lambdaContext());

  // Assess
  const expiration = Number(dynamoDb.commandCalls(PutItemCommand)[0]?.args[0].input.Item?.expiration?.N);
  expect(recordSeconds).toBe(86_400);
  expect(expiration - before).toBeGreaterThanOrEqual(86_400);
  expect(expiration - before).toBeLessThanOrEqual(86_400 + 5);
});

it('writes its records to the configured idempotency table, under the prefix it is given', async () => {
  // Prepare
  const { step } = countingStep('some-step');

  // Act
  await step({ purchaseId: 'purchase-1' }, lambdaContext());

  // Assess
  const put = dynamoDb.commandCalls(PutItemCommand)[0]?.args[0].input;
  expect(put?.TableName).toBe('idempotency');
  expect(put?.Item?.id?.S).toMatch(/^some-step#\S+$/);
});

import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { InsufficientFundsError, PaymentDeclinedError, PaymentProviderUnavailableError } from '#domain/errors';
import { createSimulatedPaymentProvider } from '#domain/billing/simulated-payment-provider';

const dynamo = mockClient(DynamoDBDocumentClient);
const sleeps: number[] = [];
const provider = createSimulatedPaymentProvider({
  client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
  tableName: 'payments',
  now: () => new Date('2026-11-26T10:00:00.000Z'),
  sleep: async (ms) => {
    sleeps.push(ms);
  },
});

const eur = (amount: number) => ({ amount, currency: 'EUR' });
const charge = (token: string) => provider.charge({ idempotencyKey: 'purchase-1', amount: eur(24000), token });
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const isAttempt = (input: { UpdateExpression?: string }) => input.UpdateExpression?.startsWith('ADD') ?? false;

/** The ledger answers the attempt counter with `attempts` and no charge yet, and records any charge. */
const ledgerAt = (attempts: number) => {
  dynamo.on(UpdateCommand).callsFake((input) =>
    isAttempt(input)
      ? { Attributes: { purchaseId: 'purchase-1', attempts } }
      : { Attributes: { purchaseId: 'purchase-1', attempts, chargeId: input.ExpressionAttributeValues[':chargeId'], amount: input.ExpressionAttributeValues[':amount'] } },
  );
};
const chargeWrites = () => dynamo.commandCalls(UpdateCommand).filter((call) => !isAttempt(call.args[0].input));

beforeEach(() => {
  dynamo.reset();
  sleeps.length = 0;
});

describe('charging', () => {
  test('an approved token records one charge keyed by the purchase and returns it', async () => {
    ledgerAt(1);

    const receipt = await charge('tok_approve');

    expect(receipt).toEqual({ chargeId: 'ch_purchase-1', amount: eur(24000) });
    expect(chargeWrites()).toHaveLength(1);
    expect(chargeWrites()[0]?.args[0].input).toMatchObject({ Key: { purchaseId: 'purchase-1' }, ConditionExpression: 'attribute_not_exists(#chargeId) AND attribute_not_exists(#voidedAt)' });
  });

  test('every attempt is counted in the ledger', async () => {
    ledgerAt(1);

    await charge('tok_approve');

    const attempt = dynamo.commandCalls(UpdateCommand).find((call) => isAttempt(call.args[0].input));
    expect(attempt?.args[0].input).toMatchObject({ TableName: 'payments', Key: { purchaseId: 'purchase-1' }, ExpressionAttributeValues: { ':one': 1 } });
  });

  test('a key that was charged before returns the first charge and charges nothing', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: { purchaseId: 'purchase-1', attempts: 2, chargeId: 'ch_purchase-1', amount: eur(24000) } });

    const receipt = await provider.charge({ idempotencyKey: 'purchase-1', amount: eur(99), token: 'tok_approve' });

    expect(receipt).toEqual({ chargeId: 'ch_purchase-1', amount: eur(24000) });
    expect(chargeWrites()).toHaveLength(0);
  });

  test('a concurrent approval that recorded first is the charge both return', async () => {
    dynamo.on(UpdateCommand).callsFake((input) => {
      if (isAttempt(input)) return { Attributes: { purchaseId: 'purchase-1', attempts: 1 } };
      throw conditionFailed();
    });
    dynamo.on(GetCommand).resolves({ Item: { purchaseId: 'purchase-1', attempts: 2, chargeId: 'ch_purchase-1', amount: eur(24000) } });

    await expect(charge('tok_approve')).resolves.toEqual({ chargeId: 'ch_purchase-1', amount: eur(24000) });
  });

  test.each([
    ['tok_decline', PaymentDeclinedError],
    ['tok_insufficient_funds', InsufficientFundsError],
    ['tok_unavailable', PaymentProviderUnavailableError],
  ])('%s fails with %p and records no charge', async (token, error) => {
    ledgerAt(1);

    await expect(charge(token)).rejects.toThrow(error);
    expect(chargeWrites()).toHaveLength(0);
  });

  test('tok_unavailable_once fails on the first attempt', async () => {
    ledgerAt(1);

    await expect(charge('tok_unavailable_once')).rejects.toThrow(PaymentProviderUnavailableError);
  });

  test('tok_unavailable_once approves on the second attempt', async () => {
    ledgerAt(2);

    await expect(charge('tok_unavailable_once')).resolves.toEqual({ chargeId: 'ch_purchase-1', amount: eur(24000) });
  });

  test('tok_slow waits three seconds, then approves', async () => {
    ledgerAt(1);

    await expect(charge('tok_slow')).resolves.toMatchObject({ chargeId: 'ch_purchase-1' });
    expect(sleeps).toEqual([3_000]);
  });

  test('the token is never written to the ledger', async () => {
    ledgerAt(1);

    await charge('tok_approve');

    expect(JSON.stringify(dynamo.calls().map((call) => call.args[0].input))).not.toContain('tok_approve');
  });
});

describe('refunding', () => {
  test('refunds the charge once, only if there is a charge without a refund', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: { purchaseId: 'purchase-1', attempts: 1, chargeId: 'ch_purchase-1', amount: eur(24000), refundId: 're_purchase-1' } });

    const refund = await provider.refund({ idempotencyKey: 'purchase-1' });

    expect(refund).toEqual({ refundId: 're_purchase-1', chargeId: 'ch_purchase-1', amount: eur(24000) });
    expect(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input.ConditionExpression).toBe('attribute_exists(#chargeId) AND attribute_not_exists(#refundId)');
  });

  test('a charge refunded before returns that refund', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    dynamo.on(GetCommand).resolves({ Item: { purchaseId: 'purchase-1', attempts: 1, chargeId: 'ch_purchase-1', amount: eur(24000), refundId: 're_purchase-1' } });

    await expect(provider.refund({ idempotencyKey: 'purchase-1' })).resolves.toEqual({ refundId: 're_purchase-1', chargeId: 'ch_purchase-1', amount: eur(24000) });
  });

  test('nothing charged means nothing refunded', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    dynamo.on(GetCommand).resolves({ Item: { purchaseId: 'purchase-1', attempts: 3 } });

    await expect(provider.refund({ idempotencyKey: 'purchase-1' })).resolves.toBeUndefined();
  });

  test('a purchase the provider never saw has nothing to refund', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    dynamo.on(GetCommand).resolves({});

    await expect(provider.refund({ idempotencyKey: 'purchase-1' })).resolves.toBeUndefined();
  });
});

import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createSimulatedPaymentProvider } from '#domain/billing/adapters/simulated-payment-provider';
import { refundIdFor } from '#domain/billing/simulated-outcome';
import { InsufficientFundsError, PaymentDeclinedError, PaymentProviderUnavailableError, PaymentVoidedError } from '#domain/errors';

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

const NOW_ISO = '2026-11-26T10:00:00.000Z';
const isRefund = (input: { UpdateExpression?: string }) => input.UpdateExpression?.includes(':refunded') ?? false;
const isVoid = (input: { UpdateExpression?: string }) => input.UpdateExpression?.includes(':voided') ?? false;
const writesWhere = (matches: (input: { UpdateExpression?: string }) => boolean) =>
  dynamo.commandCalls(UpdateCommand).filter((call) => matches(call.args[0].input)).map((call) => call.args[0].input);
const charged = { purchaseId: 'purchase-1', attempts: 1, chargeId: 'ch_purchase-1', amount: eur(24000) };
const refunded = { ...charged, refundId: 're_purchase-1' };

describe('the ledger writes', () => {
  test('an attempt adds one to the attempts and stamps when, returning the whole entry', async () => {
    // Prepare
    ledgerAt(1);

    // Act
    await charge('tok_approve');

    // Assess
    expect(writesWhere(isAttempt)).toEqual([
      {
        TableName: 'payments',
        Key: { purchaseId: 'purchase-1' },
        UpdateExpression: 'ADD #attempts :one SET #lastAttemptAt = :now',
        ExpressionAttributeNames: { '#attempts': 'attempts', '#lastAttemptAt': 'lastAttemptAt' },
        ExpressionAttributeValues: { ':one': 1, ':now': NOW_ISO },
        ReturnValues: 'ALL_NEW',
      },
    ]);
  });

  test('a charge records its id, amount and time and counts itself, only on a key with no charge and no void', async () => {
    // Prepare
    ledgerAt(1);

    // Act
    await charge('tok_approve');

    // Assess: `charges` is how a second charge under one key would show in the ledger
    expect(chargeWrites().map((call) => call.args[0].input)).toEqual([
      {
        TableName: 'payments',
        Key: { purchaseId: 'purchase-1' },
        UpdateExpression: 'SET #status = :charged, #chargeId = :chargeId, #amount = :amount, #chargedAt = :now ADD #charges :one',
        ConditionExpression: 'attribute_not_exists(#chargeId) AND attribute_not_exists(#voidedAt)',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#chargeId': 'chargeId',
          '#amount': 'amount',
          '#chargedAt': 'chargedAt',
          '#voidedAt': 'voidedAt',
          '#charges': 'charges',
        },
        ExpressionAttributeValues: { ':one': 1, ':charged': 'CHARGED', ':chargeId': 'ch_purchase-1', ':amount': eur(24000), ':now': NOW_ISO },
        ReturnValues: 'ALL_NEW',
      },
    ]);
  });

  test('a refund records its id and time, only on a charge not refunded yet', async () => {
    // Prepare
    dynamo.on(UpdateCommand).resolves({ Attributes: refunded });

    // Act
    await provider.refund({ idempotencyKey: 'purchase-1' });

    // Assess
    expect(writesWhere(isRefund)).toEqual([
      {
        TableName: 'payments',
        Key: { purchaseId: 'purchase-1' },
        UpdateExpression: 'SET #status = :refunded, #refundId = :refundId, #refundedAt = :now',
        ConditionExpression: 'attribute_exists(#chargeId) AND attribute_not_exists(#refundId)',
        ExpressionAttributeNames: { '#status': 'status', '#refundId': 'refundId', '#refundedAt': 'refundedAt', '#chargeId': 'chargeId' },
        ExpressionAttributeValues: { ':refunded': 'REFUNDED', ':refundId': 're_purchase-1', ':now': NOW_ISO },
        ReturnValues: 'ALL_NEW',
      },
    ]);
  });

  test('a void keeps the first void time, only on a key with no charge', async () => {
    // Prepare: nothing charged, so the refund's condition fails and the key is voided
    dynamo.on(UpdateCommand).callsFake((input) => {
      if (isRefund(input)) throw conditionFailed();
      return {};
    });
    dynamo.on(GetCommand).resolves({ Item: { purchaseId: 'purchase-1', attempts: 1 } });

    // Act
    await provider.refund({ idempotencyKey: 'purchase-1' });

    // Assess
    expect(writesWhere(isVoid)).toEqual([
      {
        TableName: 'payments',
        Key: { purchaseId: 'purchase-1' },
        UpdateExpression: 'SET #status = :voided, #voidedAt = if_not_exists(#voidedAt, :now)',
        ConditionExpression: 'attribute_not_exists(#chargeId)',
        ExpressionAttributeNames: { '#status': 'status', '#voidedAt': 'voidedAt', '#chargeId': 'chargeId' },
        ExpressionAttributeValues: { ':voided': 'VOIDED', ':now': NOW_ISO },
      },
    ]);
  });

  test('a lost race is settled by a strongly consistent read of the key', async () => {
    // Prepare
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    dynamo.on(GetCommand).resolves({ Item: refunded });

    // Act
    await provider.refund({ idempotencyKey: 'purchase-1' });

    // Assess
    expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input).toEqual({ TableName: 'payments', Key: { purchaseId: 'purchase-1' }, ConsistentRead: true });
  });

  test('refund ids derive from the key', () => {
    expect(refundIdFor('purchase-1')).toBe('re_purchase-1');
  });
});

describe('charging a voided key', () => {
  test('a key voided before the attempt refuses the charge and writes none', async () => {
    // Prepare
    dynamo.on(UpdateCommand).resolves({ Attributes: { purchaseId: 'purchase-1', attempts: 1, voidedAt: NOW_ISO } });

    // Act
    const failure = charge('tok_approve');

    // Assess
    await expect(failure).rejects.toThrow(PaymentVoidedError);
    expect(chargeWrites()).toHaveLength(0);
  });

  test('a void that got there between the attempt and the charge refuses the charge', async () => {
    // Prepare
    dynamo.on(UpdateCommand).callsFake((input) => {
      if (isAttempt(input)) return { Attributes: { purchaseId: 'purchase-1', attempts: 1 } };
      throw conditionFailed();
    });
    dynamo.on(GetCommand).resolves({ Item: { purchaseId: 'purchase-1', attempts: 1, status: 'VOIDED', voidedAt: NOW_ISO } });

    // Act
    const failure = charge('tok_approve');

    // Assess
    await expect(failure).rejects.toThrow(PaymentVoidedError);
  });

  test('a charge write refused while the key shows neither a charge nor a void is transient, naming the key', async () => {
    // Prepare
    dynamo.on(UpdateCommand).callsFake((input) => {
      if (isAttempt(input)) return { Attributes: { purchaseId: 'purchase-1', attempts: 1 } };
      throw conditionFailed();
    });
    dynamo.on(GetCommand).resolves({ Item: { purchaseId: 'purchase-1', attempts: 1 } });

    // Act
    const failure = charge('tok_approve');

    // Assess
    await expect(failure).rejects.toThrow(PaymentProviderUnavailableError);
    await expect(failure).rejects.toThrow('The charge for purchase-1 could not be recorded');
  });
});

describe('refunding races', () => {
  test('nothing charged voids the key and refunds nothing, once', async () => {
    // Prepare
    dynamo.on(UpdateCommand).callsFake((input) => {
      if (isRefund(input)) throw conditionFailed();
      return {};
    });
    dynamo.on(GetCommand).resolves({ Item: { purchaseId: 'purchase-1', attempts: 1 } });

    // Act
    const refund = await provider.refund({ idempotencyKey: 'purchase-1' });

    // Assess
    expect(refund).toBeUndefined();
    expect(writesWhere(isVoid)).toHaveLength(1);
    expect(writesWhere(isRefund)).toHaveLength(1);
  });

  test('a charge that landed before the void is refunded instead', async () => {
    // Prepare: the first refund finds no charge, the void finds one, the second refund takes it
    let refunds = 0;
    dynamo.on(UpdateCommand).callsFake((input) => {
      if (isVoid(input)) throw conditionFailed();
      refunds += 1;
      if (refunds === 1) throw conditionFailed();
      return { Attributes: refunded };
    });
    dynamo.on(GetCommand).resolves({ Item: { purchaseId: 'purchase-1', attempts: 1 } });

    // Act
    const refund = await provider.refund({ idempotencyKey: 'purchase-1' });

    // Assess
    expect(refund).toEqual({ refundId: 're_purchase-1', chargeId: 'ch_purchase-1', amount: eur(24000) });
    expect(writesWhere(isRefund)).toHaveLength(2);
  });

  test('a refund made now is returned without voiding anything', async () => {
    // Prepare
    dynamo.on(UpdateCommand).resolves({ Attributes: refunded });

    // Act
    await provider.refund({ idempotencyKey: 'purchase-1' });

    // Assess
    expect(writesWhere(isVoid)).toHaveLength(0);
  });
});

describe('failures that are not a lost race', () => {
  const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });

  test('a failed charge write is passed on, not read as a lost race', async () => {
    // Prepare
    const error = throttled();
    dynamo.on(UpdateCommand).callsFake((input) => {
      if (isAttempt(input)) return { Attributes: { purchaseId: 'purchase-1', attempts: 1 } };
      throw error;
    });

    // Act
    const failure = charge('tok_approve');

    // Assess
    await expect(failure).rejects.toBe(error);
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(0);
  });

  test('a failed refund write is passed on, and nothing is voided', async () => {
    // Prepare
    const error = throttled();
    dynamo.on(UpdateCommand).rejects(error);

    // Act
    const failure = provider.refund({ idempotencyKey: 'purchase-1' });

    // Assess
    await expect(failure).rejects.toBe(error);
    expect(writesWhere(isVoid)).toHaveLength(0);
  });

  test('a failed void write is passed on', async () => {
    // Prepare
    const error = throttled();
    dynamo.on(UpdateCommand).callsFake((input) => {
      if (isRefund(input)) throw conditionFailed();
      throw error;
    });
    dynamo.on(GetCommand).resolves({ Item: { purchaseId: 'purchase-1', attempts: 1 } });

    // Act
    const failure = provider.refund({ idempotencyKey: 'purchase-1' });

    // Assess
    await expect(failure).rejects.toBe(error);
  });
});

describe('waiting', () => {
  afterEach(() => jest.useRealTimers());

  test('an approval that is not slow does not wait', async () => {
    // Prepare
    ledgerAt(1);

    // Act
    await charge('tok_approve');

    // Assess
    expect(sleeps).toEqual([]);
  });

  test('without a sleep of its own, tok_slow waits three seconds on the clock', async () => {
    // Prepare
    jest.useFakeTimers();
    const realTime = createSimulatedPaymentProvider({ client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), tableName: 'payments' });
    ledgerAt(1);
    let settled = false;

    // Act
    const charging = realTime.charge({ idempotencyKey: 'purchase-1', amount: eur(24000), token: 'tok_slow' }).finally(() => {
      settled = true;
    });

    // Assess
    await jest.advanceTimersByTimeAsync(2_999);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await expect(charging).resolves.toEqual({ chargeId: 'ch_purchase-1', amount: eur(24000) });
  });
});

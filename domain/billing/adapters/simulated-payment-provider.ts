import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { InsufficientFundsError, PaymentDeclinedError, PaymentProviderUnavailableError, PaymentVoidedError } from '#domain/errors';
import { TABLES } from '#domain/tables';
import { moneySchema } from '#events/metadata';
import type { ChargeReceipt, PaymentProvider, RefundReceipt } from '../payment-provider.ts';
import { chargeIdFor, refundIdFor, simulatedOutcome } from '../simulated-outcome.ts';

export const LEDGER_STATUS = { charged: 'CHARGED', refunded: 'REFUNDED', voided: 'VOIDED' } as const;

export const ledgerEntrySchema = z.object({
  purchaseId: z.string().min(1),
  attempts: z.number().int().nonnegative().default(0),
  /** How many charges were recorded under this key: the conditional write keeps it at one, and a second shows. */
  charges: z.number().int().nonnegative().default(0),
  status: z.enum([LEDGER_STATUS.charged, LEDGER_STATUS.refunded, LEDGER_STATUS.voided]).optional(),
  chargeId: z.string().min(1).optional(),
  amount: moneySchema.optional(),
  chargedAt: z.string().optional(),
  refundId: z.string().min(1).optional(),
  refundedAt: z.string().optional(),
  /** Set by a refund that found no charge: no charge can be made with this key any more. */
  voidedAt: z.string().optional(),
});
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

export interface SimulatedPaymentProviderOptions {
  readonly client: DynamoDBDocumentClient;
  /** The payments table. */
  readonly tableName: string;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** How tok_slow waits. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

const NAMES = {
  '#attempts': 'attempts',
  '#charges': 'charges',
  '#lastAttemptAt': 'lastAttemptAt',
  '#status': 'status',
  '#chargeId': 'chargeId',
  '#amount': 'amount',
  '#chargedAt': 'chargedAt',
  '#refundId': 'refundId',
  '#refundedAt': 'refundedAt',
  '#voidedAt': 'voidedAt',
};
const namesOf = (...names: Array<keyof typeof NAMES>) => Object.fromEntries(names.map((name) => [name, NAMES[name]]));

const chargeOf = (entry: LedgerEntry): ChargeReceipt | undefined =>
  entry.chargeId && entry.amount ? { chargeId: entry.chargeId, amount: entry.amount } : undefined;

const refundOf = (entry: LedgerEntry): RefundReceipt | undefined =>
  entry.refundId && entry.chargeId && entry.amount ? { refundId: entry.refundId, chargeId: entry.chargeId, amount: entry.amount } : undefined;

const isConditionalCheckFailure = (error: unknown) => error instanceof Error && error.name === 'ConditionalCheckFailedException';

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A payment provider for development, tests and demos: no network, no
 * randomness; simulated-outcome.ts says which token gives which outcome.
 *
 * Its ledger is the payments table, one item per idempotency key (the
 * purchaseId): the attempt count, the charge, the refund. The token itself is
 * never stored there.
 *
 * Like a real provider's cancel of a payment intent, a refund that finds no
 * charge voids the key: a charge still on its way (a caller gave up on it,
 * the saga compensated) can then never land. Charge and void are both
 * conditional writes on the one ledger item, so exactly one of them wins.
 */
export const createSimulatedPaymentProvider = (options: SimulatedPaymentProviderOptions): PaymentProvider => {
  const { client, tableName } = options;
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? defaultSleep;
  const keyOf = (idempotencyKey: string) => ({ [TABLES.payments.partitionKey]: idempotencyKey });

  const readEntry = async (idempotencyKey: string): Promise<LedgerEntry | undefined> => {
    const response = await client.send(new GetCommand({ TableName: tableName, Key: keyOf(idempotencyKey), ConsistentRead: true }));
    return response.Item ? ledgerEntrySchema.parse(response.Item) : undefined;
  };

  /** Counts the attempt and returns the entry as it is now (with any earlier charge). */
  const recordAttempt = async (idempotencyKey: string): Promise<LedgerEntry> => {
    const response = await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keyOf(idempotencyKey),
        UpdateExpression: 'ADD #attempts :one SET #lastAttemptAt = :now',
        ExpressionAttributeNames: namesOf('#attempts', '#lastAttemptAt'),
        ExpressionAttributeValues: { ':one': 1, ':now': now().toISOString() },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return ledgerEntrySchema.parse(response.Attributes);
  };

  /** Records the charge unless one exists or the key was voided: two concurrent approvals still leave one charge, and both return it. */
  const recordCharge = async (request: { idempotencyKey: string; amount: ChargeReceipt['amount'] }): Promise<ChargeReceipt> => {
    try {
      const response = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keyOf(request.idempotencyKey),
          UpdateExpression: 'SET #status = :charged, #chargeId = :chargeId, #amount = :amount, #chargedAt = :now ADD #charges :one',
          ConditionExpression: 'attribute_not_exists(#chargeId) AND attribute_not_exists(#voidedAt)',
          ExpressionAttributeNames: namesOf('#status', '#chargeId', '#amount', '#chargedAt', '#voidedAt', '#charges'),
          ExpressionAttributeValues: {
            ':one': 1,
            ':charged': LEDGER_STATUS.charged,
            ':chargeId': chargeIdFor(request.idempotencyKey),
            ':amount': request.amount,
            ':now': now().toISOString(),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const charge = chargeOf(ledgerEntrySchema.parse(response.Attributes));
      if (charge) return charge;
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
    const existing = await readEntry(request.idempotencyKey);
    const charge = existing && chargeOf(existing);
    if (charge) return charge;
    if (existing?.voidedAt) throw new PaymentVoidedError();
    throw new PaymentProviderUnavailableError(`The charge for ${request.idempotencyKey} could not be recorded`);
  };

  /** Closes a key that has no charge; false when a charge got there first. */
  const voidKey = async (idempotencyKey: string): Promise<boolean> => {
    try {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keyOf(idempotencyKey),
          UpdateExpression: 'SET #status = :voided, #voidedAt = if_not_exists(#voidedAt, :now)',
          ConditionExpression: 'attribute_not_exists(#chargeId)',
          ExpressionAttributeNames: namesOf('#status', '#voidedAt', '#chargeId'),
          ExpressionAttributeValues: { ':voided': LEDGER_STATUS.voided, ':now': now().toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  };

  /** Refunds the key's charge; undefined when there is none (already refunded: that refund). */
  const refundCharge = async (idempotencyKey: string): Promise<RefundReceipt | undefined> => {
    try {
      const response = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keyOf(idempotencyKey),
          UpdateExpression: 'SET #status = :refunded, #refundId = :refundId, #refundedAt = :now',
          // Only a charge can be refunded, and only once.
          ConditionExpression: 'attribute_exists(#chargeId) AND attribute_not_exists(#refundId)',
          ExpressionAttributeNames: namesOf('#status', '#refundId', '#refundedAt', '#chargeId'),
          ExpressionAttributeValues: {
            ':refunded': LEDGER_STATUS.refunded,
            ':refundId': refundIdFor(idempotencyKey),
            ':now': now().toISOString(),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return refundOf(ledgerEntrySchema.parse(response.Attributes));
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
    const existing = await readEntry(idempotencyKey);
    return existing && refundOf(existing);
  };

  return {
    async charge(request) {
      const entry = await recordAttempt(request.idempotencyKey);
      const earlier = chargeOf(entry);
      if (earlier) return earlier;
      if (entry.voidedAt) throw new PaymentVoidedError();

      const outcome = simulatedOutcome(request.token, entry.attempts);
      switch (outcome.kind) {
        case 'declined':
          throw new PaymentDeclinedError();
        case 'insufficientFunds':
          throw new InsufficientFundsError();
        case 'unavailable':
          throw new PaymentProviderUnavailableError();
        case 'approved':
          if (outcome.afterMs > 0) await sleep(outcome.afterMs);
          return recordCharge({ idempotencyKey: request.idempotencyKey, amount: request.amount });
      }
    },

    async refund(request) {
      const refund = await refundCharge(request.idempotencyKey);
      if (refund) return refund;
      // No charge: void the key. If a charge landed in between, the void fails and that charge is refunded instead.
      if (await voidKey(request.idempotencyKey)) return undefined;
      return refundCharge(request.idempotencyKey);
    },
  };
};

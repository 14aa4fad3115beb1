import * as z from 'zod';

/**
 * Environment variables a function may read. The CDK stack sets them and the
 * local runtime copies them from the synthesized template.
 */
export const ENV = {
  purchasesTable: 'PURCHASES_TABLE_NAME',
  seatsTable: 'SEATS_TABLE_NAME',
  seatAvailabilityTable: 'SEAT_AVAILABILITY_TABLE_NAME',
  concertsTable: 'CONCERTS_TABLE_NAME',
  invoicesTable: 'INVOICES_TABLE_NAME',
  paymentsTable: 'PAYMENTS_TABLE_NAME',
  idempotencyTable: 'IDEMPOTENCY_TABLE_NAME',
  waitingRoomTable: 'WAITING_ROOM_TABLE_NAME',
  eventBusName: 'EVENT_BUS_NAME',
  purchaseQueueUrl: 'PURCHASE_QUEUE_URL',
  /** The admitter pauses while the purchase dead-letter queue holds a message. */
  purchaseDeadLetterQueueUrl: 'PURCHASE_DEAD_LETTER_QUEUE_URL',
  /** The purchase saga: started by the starter, checked by the sweeper, and by the admitter for executions that need a person. */
  stateMachineArn: 'STATE_MACHINE_ARN',
  /** The purchase queue's maxReceiveCount: the starter's last receive of a message. */
  purchaseQueueMaxReceiveCount: 'PURCHASE_QUEUE_MAX_RECEIVE_COUNT',
  /** The sweeper: how long a purchase may wait without a sign of life before it acts. */
  sweepStaleAfterSeconds: 'SWEEP_STALE_AFTER_SECONDS',
  /** The sweeper: how often it queues a purchase again before failing it. */
  sweepMaxRequeues: 'SWEEP_MAX_REQUEUES',
} as const;
export type EnvKey = keyof typeof ENV;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads the named variables once, at module scope, and fails fast naming
 * every one that is missing, so a miswired function fails on its first cold
 * start instead of deep inside a request.
 */
export const readConfig = <K extends EnvKey>(keys: readonly K[], env: NodeJS.ProcessEnv = process.env): Record<K, string> => {
  const shape = Object.fromEntries(keys.map((key) => [ENV[key], z.string().min(1)]));
  const parsed = z.object(shape).safeParse(env);
  if (!parsed.success) {
    const missing = parsed.error.issues.map((issue) => issue.path.join('.'));
    throw new ConfigError(`Missing environment variables: ${missing.join(', ')}`);
  }
  return Object.fromEntries(keys.map((key) => [key, parsed.data[ENV[key]] as string])) as Record<K, string>;
};

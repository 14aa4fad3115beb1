/**
 * Key schema of every table, shared by the CDK data construct (which creates
 * them) and the adapters (which read and write them). Physical table names
 * are never hard-coded: functions receive them through their environment.
 */
export const TABLES = {
  /** One item per purchase: the buyer's request (status QUEUED) and the status read model fed by the bus. */
  purchases: { partitionKey: 'purchaseId' },
  /** Source of truth for seats: one item per seat (AVAILABLE, HELD, SOLD) with a write version. */
  seats: { partitionKey: 'concertId', sortKey: 'seatId' },
  /** Read model of seat availability per concert, fed by the bus. */
  seatAvailability: { partitionKey: 'concertId', sortKey: 'seatId' },
  concerts: { partitionKey: 'concertId' },
  /** At most one invoice per purchase, by construction of the key. */
  invoices: { partitionKey: 'purchaseId' },
  /** The simulated payment provider's ledger: one charge and at most one refund per idempotency key. */
  payments: { partitionKey: 'purchaseId' },
  /**
   * The waiting rooms: one item per buyer's ticket, per line counter shard,
   * per room state, and the list of rooms (see domain/waiting-room/).
   */
  waitingRoom: { partitionKey: 'itemId' },
  /** Powertools idempotency records, expired by TTL. */
  idempotency: { partitionKey: 'id', timeToLiveAttribute: 'expiration' },
} as const;

export type TableId = keyof typeof TABLES;

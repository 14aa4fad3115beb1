import { LINE_SHARDS } from '#domain/waiting-room/line-positions';
import { PURCHASES, type BillLine } from './bill.ts';
import type { Price, Prices } from './prices.ts';
import { QUOTA_ON_DEMAND_TABLE_READS, QUOTA_PER_PARTITION_READS, QUOTAS, type Quota } from './quotas.ts';
import type { TemplateFacts } from './template-facts.ts';

/**
 * What the waiting room adds in front of a gated on-sale: each buyer joins
 * the line once and polls its ticket until admitted. The cost run does not
 * go through the line, so the counts are read from the code instead: the
 * DynamoDB calls of domain/waiting-room/join-line.ts and poll-ticket.ts
 * through their adapters (test/unit/tools/cost/waiting-room.test.ts checks
 * them against the calls the adapters make), the shard count from
 * line-positions.ts, the memory from the template. What the code cannot
 * say is named below as an assumption.
 */

export const BUYERS = PURCHASES;

const JOIN_HANDLER = 'join-queue';
const POLL_HANDLER = 'get-queue-ticket';

export const WAITING_ROOM_ASSUMPTIONS = {
  /** How long a buyer waits in line before admission: ten minutes. */
  waitSeconds: 600,
  /** The buyer page polls a ticket at most this often further back in line (MAX_LINE_POLL_MS in tools/buyer-page/assets/app.js). */
  pollIntervalSeconds: 5,
  /** Buyers who join before the start (the default of npm run onsale -- --waiting-room --early). */
  preQueueShare: 0.5,
  /** A DynamoDB call from Lambda in the same region, for the billed duration: not measured, the cost run has no joins. */
  msPerDynamoDbCall: 10,
  /** The handler's own work a request (parse, view, token signature, log line): not measured either. */
  handlerMs: 10,
} as const;

/** Items read eventually consistent (0.5 read unit up to 4 KB) and written (1 write unit up to 1 KB): every item here is smaller. */
const READ_UNITS_PER_ITEM = 0.5;
const WRITE_UNITS_PER_ITEM = 1;

export interface DynamoDbCall {
  readonly call: 'GetItem' | 'PutItem' | 'UpdateItem' | 'BatchGetItem';
  readonly what: string;
  readonly itemsRead: number;
  readonly itemsWritten: number;
  /** Sent together with the call before it: no round trip of its own. */
  readonly concurrentWithPrevious?: boolean;
}

const concertRead: DynamoDbCall = { call: 'GetItem', what: 'the concert (its on-sale)', itemsRead: 1, itemsWritten: 0 };
const ticketRead: DynamoDbCall = { call: 'GetItem', what: 'the ticket (a miss is billed as a read too)', itemsRead: 1, itemsWritten: 0 };
/** The room state and every shard counter, in one call: what peopleAhead is computed from. */
const lineRead: DynamoDbCall = { call: 'BatchGetItem', what: `the room state and its ${LINE_SHARDS} counter shards`, itemsRead: 1 + LINE_SHARDS, itemsWritten: 0 };

/** The calls of each request, in the order the code makes them. */
export const WAITING_ROOM_CALLS = {
  joinAfterStart: [
    concertRead,
    ticketRead,
    { call: 'UpdateItem', what: 'one counter shard, picked at random (ADD 1)', itemsRead: 0, itemsWritten: 1 },
    { call: 'PutItem', what: 'the ticket (conditional)', itemsRead: 0, itemsWritten: 1 },
    lineRead,
  ],
  joinBeforeStart: [
    concertRead,
    ticketRead,
    // The pre-queue index is sparse: only a ticket before the start has its bucket, so only its put writes the index.
    { call: 'PutItem', what: 'the ticket (conditional) and its pre-queue index entry', itemsRead: 0, itemsWritten: 2 },
    lineRead,
  ],
  poll: [concertRead, { ...ticketRead, concurrentWithPrevious: true }, lineRead],
} as const satisfies Record<string, readonly DynamoDbCall[]>;

/** The admitter's draw numbers each pre-queue ticket once (an UpdateItem; the keys-only index is left alone). */
const DRAW_WRITES_PER_PRE_QUEUE_TICKET = 1;

const itemsRead = (calls: readonly DynamoDbCall[]) => calls.reduce((sum, call) => sum + call.itemsRead, 0);
const itemsWritten = (calls: readonly DynamoDbCall[]) => calls.reduce((sum, call) => sum + call.itemsWritten, 0);
export const roundTrips = (calls: readonly DynamoDbCall[]) => calls.filter((call) => call.concurrentWithPrevious !== true).length;
const billedSeconds = (calls: readonly DynamoDbCall[]) =>
  (roundTrips(calls) * WAITING_ROOM_ASSUMPTIONS.msPerDynamoDbCall + WAITING_ROOM_ASSUMPTIONS.handlerMs) / 1_000;

interface WaitingRoomCapacityRow {
  readonly stage: string;
  readonly quota: Quota;
  readonly perJoin: number;
  readonly perJoinUnit: string;
  readonly joinsPerSecond: number;
}

export interface WaitingRoomBill {
  readonly pollsPerBuyer: number;
  readonly joinMemoryMb: number;
  readonly pollMemoryMb: number;
  readonly joinSeconds: number;
  readonly pollSeconds: number;
  readonly lines: readonly BillLine[];
  readonly usdPerMillionBuyers: number;
  readonly capacity: readonly WaitingRoomCapacityRow[];
  readonly limiting: WaitingRoomCapacityRow;
  /** Buyers polling at the assumed interval who alone read the line's items as often as one partition serves. */
  readonly pollingBuyersPerLineItemLimit: number;
  /** Buyers polling at the assumed interval who alone take the reads a new on-demand table serves. */
  readonly pollingBuyersPerNewTable: number;
}

class WaitingRoomModelError extends Error {
  override readonly name = 'WaitingRoomModelError';
}

const functionOf = (facts: TemplateFacts, handler: string) => {
  const fn = facts.functions.find((each) => each.handler === handler);
  if (fn === undefined) throw new WaitingRoomModelError(`No function of the template runs handlers/${handler}.ts`);
  return fn;
};

const line = (service: string, item: string, perBuyer: number, price: Price, estimate?: string): BillLine => ({
  service,
  item,
  perPurchase: perBuyer,
  price,
  usdPerMillion: perBuyer * BUYERS * price.usd,
  ...(estimate !== undefined && { estimate }),
});

const DURATION_ESTIMATE = 'billed duration modelled from the DynamoDB round trips, not measured';

export const computeWaitingRoomBill = (facts: TemplateFacts, prices: Prices): WaitingRoomBill => {
  const { waitSeconds, pollIntervalSeconds, preQueueShare } = WAITING_ROOM_ASSUMPTIONS;
  const { joinAfterStart, joinBeforeStart, poll } = WAITING_ROOM_CALLS;
  const join = functionOf(facts, JOIN_HANDLER);
  const poller = functionOf(facts, POLL_HANDLER);
  const pollsPerBuyer = Math.ceil(waitSeconds / pollIntervalSeconds);
  const share = (before: number, after: number) => preQueueShare * before + (1 - preQueueShare) * after;

  const joinSeconds = share(billedSeconds(joinBeforeStart), billedSeconds(joinAfterStart));
  const pollSeconds = billedSeconds(poll);
  const gbSeconds = (architecture: 'arm64' | 'x86_64') =>
    (join.architecture === architecture ? (joinSeconds * join.memoryMb) / 1024 : 0) + (poller.architecture === architecture ? (pollsPerBuyer * pollSeconds * poller.memoryMb) / 1024 : 0);
  const requests = 1 + pollsPerBuyer;
  const writes = share(itemsWritten(joinBeforeStart) + DRAW_WRITES_PER_PRE_QUEUE_TICKET, itemsWritten(joinAfterStart)) * WRITE_UNITS_PER_ITEM;
  const reads = (share(itemsRead(joinBeforeStart), itemsRead(joinAfterStart)) + pollsPerBuyer * itemsRead(poll)) * READ_UNITS_PER_ITEM;
  const lines = [
    line('API Gateway', 'HTTP API requests (a join and its polls)', requests, prices.httpApiRequest),
    line('Lambda', 'requests', requests, prices.lambdaRequest),
    ...(gbSeconds('arm64') > 0 ? [line('Lambda', 'arm64 duration', gbSeconds('arm64'), prices.lambdaArmGbSecond, DURATION_ESTIMATE)] : []),
    ...(gbSeconds('x86_64') > 0 ? [line('Lambda', 'x86_64 duration', gbSeconds('x86_64'), prices.lambdaX86GbSecond, DURATION_ESTIMATE)] : []),
    line('DynamoDB', 'write units', writes, prices.dynamoDbWriteUnit),
    line('DynamoDB', 'read units', reads, prices.dynamoDbReadUnit),
  ];

  // The surge at the start: joins then take a counter shard, the busiest path per join.
  const counterWrites = joinAfterStart.filter((call) => call.call === 'UpdateItem').reduce((sum, call) => sum + call.itemsWritten, 0) * WRITE_UNITS_PER_ITEM;
  const tableWrites = itemsWritten(joinAfterStart) * WRITE_UNITS_PER_ITEM;
  const tableReads = itemsRead(joinAfterStart) * READ_UNITS_PER_ITEM;
  const afterStartSeconds = billedSeconds(joinAfterStart);
  const row = (stage: string, quota: Quota, perJoin: number, perJoinUnit: string, ceiling = quota.value / perJoin): WaitingRoomCapacityRow => ({ stage, quota, perJoin, perJoinUnit, joinsPerSecond: ceiling });
  const capacity = [
    row('HTTP API', { ...QUOTAS.httpApiRequests, raise: 'ask for a higher account-level throttle; polls share it, so a longer poll interval leaves more of it to joins' }, 1, 'requests'),
    row('Lambda concurrency', QUOTAS.lambdaConcurrency, afterStartSeconds, 'function-seconds (modelled)'),
    row(
      `the ${LINE_SHARDS} counter shards (one partition key each)`,
      {
        value: QUOTAS.partitionWrites.value * LINE_SHARDS,
        per: `write units/s: ${QUOTAS.partitionWrites.value.toLocaleString('en-US')} per partition x ${LINE_SHARDS} shards (LINE_SHARDS)`,
        source: QUOTAS.partitionWrites.source,
        raise: `more shards (LINE_SHARDS in domain/waiting-room/line-positions.ts): each adds ${QUOTAS.partitionWrites.value.toLocaleString('en-US')} joins/s, at the price of ${READ_UNITS_PER_ITEM} read unit more a join and a poll`,
      },
      counterWrites,
      'write units on a shard picked at random',
    ),
    row('the waiting-room table, new on-demand: writes', QUOTAS.onDemandTableWrites, tableWrites, 'write units (counter and ticket)'),
    row(
      'the waiting-room table, new on-demand: reads',
      { ...QUOTAS.onDemandTableWrites, value: QUOTA_ON_DEMAND_TABLE_READS, per: 'read units/s a new on-demand table serves at once' },
      tableReads,
      'read units',
    ),
    row(
      "the line's items (room state and each counter, read by every join and poll)",
      {
        value: QUOTA_PER_PARTITION_READS,
        per: 'read units/s per partition',
        source: QUOTAS.partitionWrites.source,
        raise: 'not adjustable: polls share it, so poll less often, or read the line from a cache a second old (one read a second per function instance)',
      },
      READ_UNITS_PER_ITEM,
      'read units on each item',
    ),
  ];
  const limiting = capacity.reduce((lowest, each) => (each.joinsPerSecond < lowest.joinsPerSecond ? each : lowest));
  return {
    pollsPerBuyer,
    joinMemoryMb: join.memoryMb,
    pollMemoryMb: poller.memoryMb,
    joinSeconds,
    pollSeconds,
    lines,
    usdPerMillionBuyers: lines.reduce((sum, each) => sum + each.usdPerMillion, 0),
    capacity,
    limiting,
    pollingBuyersPerLineItemLimit: (QUOTA_PER_PARTITION_READS / READ_UNITS_PER_ITEM) * pollIntervalSeconds,
    pollingBuyersPerNewTable: (QUOTA_ON_DEMAND_TABLE_READS / (itemsRead(poll) * READ_UNITS_PER_ITEM)) * pollIntervalSeconds,
  };
};

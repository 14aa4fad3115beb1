import type { OnsaleReport } from '#tools/onsale/run-onsale';
import type { Figure, InvariantOutcome, Section } from './figures.ts';
import { perSecond, purchaseCeiling, ratioOf } from './stats.ts';
import type { WriteBound } from './write-bound.ts';

/** The figures of an on-sale run: the throughput against the DynamoDB Local bound, and the large run's footprint. */

const MIB = 1024 * 1024;

/** The issue's targets: a purchase rate of at least half what DynamoDB Local allows, and the whole stack within 1.5 GiB. */
const ONSALE_SHARE_TARGET = 0.5;
const PEAK_MEMORY_BUDGET_MIB = 1536;

export const writesPerPurchaseOf = (report: OnsaleReport): number =>
  report.dynamoDbWrites === undefined ? Number.NaN : ratioOf(report.dynamoDbWrites, report.accepted);

export const invariantOutcomesOf = (section: Section, report: OnsaleReport): InvariantOutcome[] => report.invariants.map((r) => ({ section, ...r }));

const describeBound = (bound: WriteBound, functionLimit: number): string =>
  `write bound: conditional PutItem (new item) and UpdateItem (on a version) alternating, through the functions' DynamoDB endpoint ` +
  `of the on-sale's own DynamoDB Local before the buyers arrive, ${bound.secondsPerLevel} s at each of ${bound.levels.map((l) => l.concurrency).join(', ')} in flight ` +
  `(the template's SQS poller MaximumConcurrency and each function's cap, at most ${functionLimit} locally); the best, at ${bound.concurrency}, is the bound`;

/** The answers other than 202, by status, after the client's retries: "(rejected: 53 x 503)". */
const rejectedText = (report: OnsaleReport): string =>
  report.rejected.size === 0 ? '' : ` (rejected: ${[...report.rejected].map(([status, n]) => `${n} x ${status}`).join(', ')})`;

export const onsaleFigures = (report: OnsaleReport, bound: WriteBound, functionLimit: number): Figure[] => {
  const writesPerPurchase = writesPerPurchaseOf(report);
  const throughput = perSecond(report.accepted, report.elapsedMs);
  return [
    ...bound.levels.map(
      (level): Figure => ({ id: `onsale.write-bound.c${level.concurrency}`, section: 'onsale', label: `write bound, ${level.concurrency} in flight`, value: level.writesPerSecond, unit: 'per-second' }),
    ),
    { id: 'onsale.write-bound', section: 'onsale', label: 'DynamoDB Local write bound', value: bound.writesPerSecond, unit: 'per-second', note: describeBound(bound, functionLimit) },
    {
      id: 'onsale.accepted',
      section: 'onsale',
      label: `accepted of ${report.buyers} buyers${rejectedText(report)}`,
      value: report.accepted,
      unit: 'count',
    },
    { id: 'onsale.writes-per-purchase', section: 'onsale', label: 'item writes per accepted purchase', value: writesPerPurchase, unit: 'writes' },
    {
      id: 'onsale.throughput',
      section: 'onsale',
      label: `on-sale, ${report.buyers} buyers / ${report.capacity} seats`,
      value: throughput,
      unit: 'per-second',
      reference: { value: purchaseCeiling(bound.writesPerSecond, writesPerPurchase), label: 'bound / writes per purchase' },
      target: { op: '>=', ratio: ONSALE_SHARE_TARGET },
      note: 'on-sale: accepted purchases per second from the first request until every one ended; its ratio is its share of what the write bound allows',
    },
    { id: 'onsale.elapsed', section: 'onsale', label: 'on-sale elapsed', value: report.elapsedMs, unit: 'ms' },
  ];
};

export const largeFigures = (report: OnsaleReport): Figure[] => [
  { id: 'large.accepted', section: 'large', label: `accepted of ${report.buyers} buyers${rejectedText(report)}`, value: report.accepted, unit: 'count' },
  { id: 'large.confirmed', section: 'large', label: `confirmed (${report.seatsSold} of ${report.capacity} seats sold)`, value: report.mix.confirmed, unit: 'count' },
  { id: 'large.elapsed', section: 'large', label: 'elapsed, first request to last purchase ended', value: report.elapsedMs, unit: 'ms' },
  { id: 'large.throughput', section: 'large', label: 'purchases ended per second', value: perSecond(report.accepted, report.elapsedMs), unit: 'per-second' },
  {
    id: 'large.peak-memory',
    section: 'large',
    label: 'peak memory',
    value: report.peakMemoryBytes / MIB,
    unit: 'MiB',
    reference: { value: PEAK_MEMORY_BUDGET_MIB, label: 'budget' },
    target: { op: '<=', ratio: 1 },
    note: 'peak memory: resident set of the bench process, its workers and the local services (DynamoDB Local, fauxqs), sampled every 0.5 s during the run',
  },
];

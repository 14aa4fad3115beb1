import { randomBytes } from 'node:crypto';
import { paginateQuery, paginateScan, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createClients } from '#tools/ops/clients';
import { connect } from '#tools/ops/connect';
import { systemClock } from '#tools/ops/ports';
import { planReplay, runReplay } from '#tools/ops/replay-archive';
import type { ProjectionSnapshot, ReplaySnapshots } from '#tools/onsale/invariants';
import type { Target } from '#tools/onsale/target';
import { projectionItemsNamedBy, readDeadLetteredEvents } from './dead-lettered-events.ts';

/**
 * The replay half of invariant 5: the projections of the run (the purchase
 * status read model and the seat availability of its concert) are read,
 * the run's window of the archive is replayed into the bus's rules twice
 * with the same code as `npm run replay`, and they are read again after each.
 * Only the items named by events that the projections' rules dead-lettered
 * may change (see dead-lettered-events.ts).
 */

const REPLAY_TIMEOUT_MS = 15 * 60_000;
const REPLAY_POLL_MS = 1_000;

/** JSON with sorted keys, so two reads of the same item compare equal. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );

const snapshotProjections = async (client: DynamoDBDocumentClient, target: Target, concertId: string): Promise<ProjectionSnapshot> => {
  const snapshot: Record<string, string> = {};
  const purchases = paginateScan(
    { client },
    { TableName: target.tables.purchases, FilterExpression: 'concertId = :concertId', ExpressionAttributeValues: { ':concertId': concertId }, ConsistentRead: true },
  );
  for await (const page of purchases) for (const item of page.Items ?? []) snapshot[`purchases/${String(item.purchaseId)}`] = canonical(item);
  const seats = paginateQuery(
    { client },
    {
      TableName: target.tables.seatAvailability,
      KeyConditionExpression: 'concertId = :concertId',
      ExpressionAttributeValues: { ':concertId': concertId },
      ConsistentRead: true,
    },
  );
  for await (const page of seats) for (const item of page.Items ?? []) snapshot[`seatAvailability/${String(item.seatId)}`] = canonical(item);
  return snapshot;
};

class ReplayDidNotCompleteError extends Error {
  override readonly name = 'ReplayDidNotCompleteError';
}

/** Replays [from, to] twice, each after the bus has settled, and snapshots the projections around them. */
export const replayTwice = async (target: Target, concertId: string, from: Date, to: Date, log: (line: string) => void): Promise<ReplaySnapshots> => {
  const ports = connect(target.ops);
  await target.settle();
  const before = await snapshotProjections(target.documentClient, target, concertId);
  const plan = await planReplay(ports, target.ops.outputs, { from, to }, 'chaos-replay');
  const deadLettered = await readDeadLetteredEvents(createClients(target.ops), plan.busName, plan.rules.map((rule) => rule.name));
  if (deadLettered.length > 0) log(`${deadLettered.length} event(s) in the dead-letter queues of the projections' rules: a replay may apply them`);
  const afterReplays: ProjectionSnapshot[] = [];
  for (let replay = 1; replay <= 2; replay++) {
    const name = `chaos-replay-${replay}-${randomBytes(4).toString('hex')}`;
    const result = await runReplay(ports.replays, { ...plan, name }, { clock: systemClock, timeoutMs: REPLAY_TIMEOUT_MS, pollMs: REPLAY_POLL_MS, onProgress: () => undefined });
    if (result.state !== 'COMPLETED') throw new ReplayDidNotCompleteError(`replay ${name} ended ${result.state}${result.stateReason ? `: ${result.stateReason}` : ''}`);
    await target.settle();
    afterReplays.push(await snapshotProjections(target.documentClient, target, concertId));
    log(`replay ${replay} of the run's archive window completed in ${(result.durationMs / 1000).toFixed(1)} s`);
  }
  return { before, afterReplays, repairable: projectionItemsNamedBy(deadLettered, concertId) };
};

import { mapWithConcurrency } from '#domain/orders/bounded-concurrency';
import { configureOnSale } from '#domain/waiting-room/adapters/dynamodb-gated-concerts';
import { createDynamoDbQueueTicketStore, registerRoom } from '#domain/waiting-room/adapters/dynamodb-waiting-room';
import type { OnSale } from '#domain/waiting-room/on-sale';
import { startLocalRuntime } from '#local/index';
import { defineCommand, EXIT, parseWholeNumber, runIfInvoked, writeLine, type Main } from '#tools/lib/command-line';
import { percentile, perSecond } from './bench/stats.ts';
import { createOnsaleConcert, inProcessTarget } from './onsale/target.ts';

/**
 * `npm run bench:queue`: how many joins a second the waiting room takes on
 * the local runtime, before the start (one conditional put per join) and
 * after it (a counter shard, then the put), with the line's counters
 * checked afterwards: one number per join, none lost or handed out twice.
 */
const USAGE = `Usage: npm run bench:queue -- [--buyers N] [--concurrency C]

  --buyers N        buyers joining in each phase (default 1000)
  --concurrency C   joins in flight (default 25, the local runtime's per-function limit)

Starts an in-memory local runtime, gates a concert, and prints joins/s for the
pre-queue (before the start) and the line (after it), with latencies.`;

const OPTIONS = { buyers: { type: 'string' }, concurrency: { type: 'string' } } as const;
const CREATED = 201;
const ON_SALE: Omit<OnSale, 'startsAt'> = { admissionsPerMinute: 100, maxActiveBuyers: 500, admissionTtlSeconds: 600 };

export const main: Main = defineCommand({
  usage: USAGE,
  failure: 'a join was refused or the line counters do not add up',
  options: OPTIONS,
  run: async ({ values }, io) => {
    const buyers = parseWholeNumber('--buyers', values.buyers ?? '1000');
    const concurrency = parseWholeNumber('--concurrency', values.concurrency ?? '25', { max: 1_000 });
    const runtime = await startLocalRuntime({ inMemory: true, log: (line) => writeLine(io.stderr, `[local] ${line}`) });
    try {
      const target = inProcessTarget(runtime);
      const concertId = `queue-bench-${Date.now().toString(36)}`;
      await createOnsaleConcert(target, 10, concertId);
      const outputs = runtime.info.outputs;
      const gate = (startsAt: Date) =>
        configureOnSale({ client: runtime.documentClient, tableName: outputs.ConcertsTableName }, concertId, { ...ON_SALE, startsAt: startsAt.toISOString() });
      await registerRoom({ client: runtime.documentClient, tableName: outputs.WaitingRoomTableName }, concertId);

      const phase = async (name: string, prefix: string) => {
        // Tokens first: signing is the client's work, not the join's.
        const tokens = await Promise.all(Array.from({ length: buyers }, (_, index) => runtime.mintToken(`${prefix}-${index}`)));
        const latencies: number[] = [];
        let refused = 0;
        const startedAt = performance.now();
        await mapWithConcurrency(tokens, concurrency, async (token) => {
          const sentAt = performance.now();
          const answer = await fetch(`${runtime.apiUrl}/concerts/${concertId}/queue`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
          await answer.arrayBuffer();
          if (answer.status === CREATED) latencies.push(performance.now() - sentAt);
          else refused += 1;
        });
        const elapsedMs = performance.now() - startedAt;
        writeLine(
          io.stdout,
          `${name.padEnd(28)} ${perSecond(latencies.length, elapsedMs).toFixed(0).padStart(6)} joins/s   p50 ${percentile(latencies, 50).toFixed(0)} ms   p99 ${percentile(latencies, 99).toFixed(0)} ms   refused ${refused}`,
        );
        return refused;
      };

      writeLine(io.stdout, `${buyers} buyers per phase, ${concurrency} in flight`);
      await gate(new Date(Date.now() + 60 * 60 * 1_000));
      const refusedBefore = await phase('pre-queue (before start)', 'early');
      await gate(new Date());
      const refusedAfter = await phase('line (after start)', 'late');

      const { shardCounts } = await createDynamoDbQueueTicketStore({ client: runtime.documentClient, tableName: outputs.WaitingRoomTableName }).readLine(concertId);
      const numbered = shardCounts.reduce((sum, count) => sum + count, 0);
      writeLine(io.stdout, `line numbers handed out: ${numbered} over ${shardCounts.length} shards (${shardCounts.join(', ')})`);
      return refusedBefore + refusedAfter === 0 && numbered === buyers ? EXIT.ok : EXIT.failed;
    } finally {
      await runtime.stop();
    }
  },
});

runIfInvoked('queue-bench', main);

import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startLocalRuntime } from '#local/runtime';
import { LOCAL_RUNTIME_FILE } from '#tools/ops/config';
import { planBuyers } from './onsale/buyer-plan.ts';
import { countSoldSeats, drain, outcomeMixOf } from './onsale/drain.ts';
import { listClosedRunExecutions } from './onsale/executions.ts';
import { checkInvariants } from './onsale/invariants.ts';
import { startMemorySampler } from './onsale/memory-sampler.ts';
import { submitBuyers } from './onsale/submit.ts';
import { createOnsaleConcert, inProcessTarget, runningTarget } from './onsale/target.ts';

/**
 * `npm run onsale`: the on-sale spike as a demo. N buyers with overlapping
 * seat choices hit the API at once; the queue drains through the saga; then
 * the summary and every invariant of DESIGN.md, checked from the data.
 */

const USAGE = `Usage: npm run onsale -- [--buyers N] [--seats S] [--api URL] [--concurrency C] [--seed N] [--timeout SECONDS]

  --buyers       buyers arriving at once (default 2000)
  --seats        seats of the concert put on sale (default 500, rows of 25)
  --api          use the runtime already running (npm start) at this URL
                 instead of starting an in-memory one; reads ${LOCAL_RUNTIME_FILE}
  --concurrency  requests in flight at once (default 100)
  --seed         seed of the buyers' choices (default 1)
  --timeout      give up waiting for the queue to drain after this long (default 900)

Exits 0 when every invariant holds, 1 when one fails, 2 on bad arguments.`;

const argsSchema = z.object({
  buyers: z.coerce.number().int().min(1).max(100_000),
  seats: z.coerce.number().int().min(1).max(10_000),
  api: z.url().optional(),
  concurrency: z.coerce.number().int().min(1).max(1_000),
  seed: z.coerce.number().int(),
  timeout: z.coerce.number().int().min(10),
});
type OnsaleArgs = z.infer<typeof argsSchema>;

const run = async (args: OnsaleArgs): Promise<number> => {
  const log = (line: string) => console.error(`[onsale] ${line}`);
  const memory = startMemorySampler();
  const target = args.api
    ? runningTarget(args.api)
    : inProcessTarget(await startLocalRuntime({ inMemory: true, seedDemo: false, countDynamoDbWrites: true, log }));
  try {
    const runId = `onsale-${Date.now().toString(36)}`;
    const hall = await createOnsaleConcert(target, args.seats, runId);
    const capacity = hall.rows * hall.seatsPerRow;
    log(`concert ${runId}: ${capacity} seats; ${args.buyers} buyers arrive, ${args.concurrency} requests in flight`);
    const buyers = planBuyers(args.buyers, hall, args.seed, runId);

    const writesBefore = target.dynamoDbWrites() ?? 0;
    const startedAt = Date.now();
    const { accepted, rejected } = await submitBuyers(target.apiUrl, (buyerId) => target.mintToken(buyerId), runId, buyers, { concurrency: args.concurrency });
    const acceptedMs = Date.now() - startedAt;
    log(`${accepted.length} accepted (202) in ${(acceptedMs / 1000).toFixed(1)} s; draining the queue...`);
    const { statuses, drained } = await drain(() => target.documentClient, target.tables.purchases, accepted, { startedAt, timeoutSeconds: args.timeout });
    if (!drained) log(`the queue did not drain within ${args.timeout} s`);
    const elapsedMs = Date.now() - startedAt;
    await target.settle();

    const mix = outcomeMixOf(accepted, statuses);
    const failedByReason = Object.entries(mix.failedByReason);
    const seatsSold = await countSoldSeats(target.documentClient, target.tables.seats, runId);
    const writes = target.dynamoDbWrites();
    const results = await checkInvariants({
      documentClient: target.documentClient,
      tables: target.tables,
      archivedEvents: await target.archivedEvents(),
      purchaseIds: accepted,
      executions: await listClosedRunExecutions(target.ops, new Date(startedAt), accepted, startedAt + args.timeout * 1000),
    });
    memory.stop();

    const lines = [
      '',
      'On-sale summary',
      `  buyers              ${args.buyers}`,
      `  accepted (202)      ${accepted.length}${rejected.size ? `  (rejected: ${[...rejected].map(([status, n]) => `${n} x ${status}`).join(', ')})` : ''}`,
      `  confirmed           ${mix.confirmed}`,
      `  failed              ${accepted.length - mix.confirmed}${failedByReason.length ? `  (${failedByReason.map(([reason, n]) => `${reason} ${n}`).join(', ')})` : ''}`,
      `  seats sold          ${seatsSold} of ${capacity}`,
      `  elapsed             ${(elapsedMs / 1000).toFixed(1)} s (all accepted after ${(acceptedMs / 1000).toFixed(1)} s)`,
      `  throughput          ${(accepted.length / (elapsedMs / 1000)).toFixed(1)} purchases/s`,
      ...(writes !== undefined ? [`  DynamoDB writes     ${writes - writesBefore} item writes by the functions, ${((writes - writesBefore) / Math.max(1, accepted.length)).toFixed(1)} per purchase`] : []),
      `  peak memory         ${(memory.peakBytes() / 1024 / 1024).toFixed(0)} MiB (this process, its workers and the local services)`,
      '',
      'Invariants',
      ...results.map((r) => `  ${r.ok ? 'PASS' : 'FAIL'}  ${r.invariant}. ${r.name}: ${r.detail}`),
      '',
    ];
    console.log(lines.join('\n'));
    return results.every((r) => r.ok) ? 0 : 1;
  } finally {
    memory.stop();
    await target.stop();
  }
};

const main = async (): Promise<number> => {
  let parsed;
  try {
    const { values } = parseArgs({
      options: {
        buyers: { type: 'string', default: '2000' },
        seats: { type: 'string', default: '500' },
        api: { type: 'string' },
        concurrency: { type: 'string', default: '100' },
        seed: { type: 'string', default: '1' },
        timeout: { type: 'string', default: '900' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    parsed = argsSchema.safeParse(values);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (!parsed.success) {
    console.error(`${parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('\n')}\n\n${USAGE}`);
    return 2;
  }
  return run(parsed.data);
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`\nonsale failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

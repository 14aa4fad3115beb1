import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { parsePriceBands, rowLabel } from '#domain/catalog/seat-layout';
import { createConcert } from '#domain/catalog/create-concert';
import { createDynamoDbConcertStore } from '#domain/catalog/dynamodb-concert-store';
import { eventBridgeEnvelopeSchema } from '#events/envelope';
import { mintDevelopmentToken } from '#local/auth/development-token';
import { dataDirLayout, DEFAULT_DATA_DIR } from '#local/data-dir';
import { startLocalRuntime, type LocalRuntime } from '#local/runtime';
import { LOCAL_RUNTIME_FILE, loadLocalConfig } from '#tools/ops/config';
import { hallFor, planBuyers, type BuyerRequest } from './onsale/buyer-plan.ts';
import { checkInvariants, type ArchivedEvent, type InvariantTables } from './onsale/invariants.ts';
import { startMemorySampler } from './onsale/memory-sampler.ts';
import { createProgressWriter } from './onsale/progress-bar.ts';

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

const purchaseStatusSchema = z.object({ purchaseId: z.string(), status: z.string(), failureReason: z.string().optional() }).loose();
const postResponseSchema = z.object({ purchaseId: z.string() });

interface Target {
  readonly apiUrl: string;
  readonly documentClient: DynamoDBDocumentClient;
  readonly tables: InvariantTables & { readonly concerts: string; readonly seatAvailability: string };
  mintToken(buyerId: string): Promise<string>;
  archivedEvents(): Promise<ArchivedEvent[]>;
  settle(): Promise<void>;
  dynamoDbWrites(): number | undefined;
  stop(): Promise<void>;
}

const tablesFrom = (outputs: Readonly<Record<string, string>>) => {
  const table = (key: string) => {
    const name = outputs[key];
    if (!name) throw new Error(`no output ${key}`);
    return name;
  };
  return {
    purchases: table('PurchasesTableName'),
    seats: table('SeatsTableName'),
    invoices: table('InvoicesTableName'),
    payments: table('PaymentsTableName'),
    concerts: table('ConcertsTableName'),
    seatAvailability: table('SeatAvailabilityTableName'),
  };
};

const inMemoryTarget = async (log: (line: string) => void): Promise<Target> => {
  const runtime: LocalRuntime = await startLocalRuntime({ inMemory: true, seedDemo: false, countDynamoDbWrites: true, log });
  return {
    apiUrl: runtime.apiUrl,
    documentClient: runtime.documentClient,
    tables: tablesFrom(runtime.info.outputs),
    mintToken: (buyerId) => runtime.mintToken(buyerId),
    archivedEvents: async () => runtime.archivedEvents(),
    settle: () => runtime.eventBridge.whenIdle(),
    dynamoDbWrites: () => runtime.dynamoDbWrites()?.total,
    stop: () => runtime.stop(),
  };
};

/** The runtime `npm start` runs: its endpoints from runtime.json, tokens signed with its key. */
const runningTarget = (apiUrl: string): Target => {
  const config = loadLocalConfig(join(DEFAULT_DATA_DIR, 'runtime.json'));
  if (config.target !== 'local') throw new Error('--api needs the local runtime');
  const client = new DynamoDBClient({ endpoint: config.endpoints.dynamodb, region: config.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const archiveFile = config.archiveFile;
  return {
    apiUrl,
    documentClient: DynamoDBDocumentClient.from(client),
    tables: tablesFrom(config.outputs),
    mintToken: (buyerId) => mintDevelopmentToken({ authDir: dataDirLayout().auth, buyerId }),
    archivedEvents: async () => {
      if (!archiveFile || !existsSync(archiveFile)) return [];
      const recordSchema = z.object({ event: eventBridgeEnvelopeSchema });
      return readFileSync(archiveFile, 'utf8')
        .split('\n')
        .filter((line) => line.trim())
        .flatMap((line) => {
          const record = recordSchema.safeParse(JSON.parse(line));
          return record.success ? [record.data.event] : [];
        });
    },
    // Deliveries to the projections are asynchronous; give them a moment once every purchase is terminal.
    settle: () => new Promise((resolveSettle) => setTimeout(resolveSettle, 3_000)),
    dynamoDbWrites: () => undefined,
    stop: async () => client.destroy(),
  };
};

const createOnsaleConcert = async (target: Target, seats: number, concertId: string) => {
  const hall = hallFor(seats);
  const store = createDynamoDbConcertStore({ client: target.documentClient, tables: target.tables });
  await createConcert(store, {
    concertId,
    name: 'On-sale rush',
    venue: 'Local Arena',
    startsAt: '2027-09-01T20:00:00Z',
    currency: 'EUR',
    rows: hall.rows,
    seatsPerRow: hall.seatsPerRow,
    priceBands: parsePriceBands(`A-${rowLabel(hall.rows - 1)}:7500`),
  });
  return hall;
};

/** Runs `work` over `items` with at most `limit` in flight. */
const inParallel = async <T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) => {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(lanes);
};

const NETWORK_ATTEMPTS = 3;

/**
 * A request that failed on the network may or may not have been accepted:
 * the Idempotency-Key makes sending it again safe, which is what a real client should do.
 */
const postWithRetry = async (url: string, init: RequestInit): Promise<Response> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (error) {
      if (attempt >= NETWORK_ATTEMPTS) {
        const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
        throw new Error(`POST ${url} failed ${attempt} times${cause}`, { cause: error });
      }
      await new Promise((resolveWait) => setTimeout(resolveWait, 200 * attempt));
    }
  }
};

const submit = async (target: Target, concertId: string, buyers: readonly BuyerRequest[], concurrency: number) => {
  const accepted: string[] = [];
  const rejected = new Map<number, number>();
  const tokens = new Map<string, string>();
  for (const buyer of buyers) tokens.set(buyer.buyerId, await target.mintToken(buyer.buyerId));
  await inParallel(buyers, concurrency, async (buyer) => {
    const response = await postWithRetry(`${target.apiUrl}/purchases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.get(buyer.buyerId) ?? ''}`, 'content-type': 'application/json', 'idempotency-key': buyer.idempotencyKey },
      body: JSON.stringify({ concertId, seatIds: buyer.seatIds, paymentToken: buyer.paymentToken }),
    });
    const body: unknown = await response.json().catch(() => undefined);
    if (response.status === 202) accepted.push(postResponseSchema.parse(body).purchaseId);
    else rejected.set(response.status, (rejected.get(response.status) ?? 0) + 1);
  });
  return { accepted, rejected };
};

const readStatuses = async (target: Target, ids: ReadonlySet<string>) => {
  const statuses = new Map<string, z.infer<typeof purchaseStatusSchema>>();
  const pages = paginateScan(
    { client: target.documentClient },
    { TableName: target.tables.purchases, ProjectionExpression: 'purchaseId, #s, failureReason', ExpressionAttributeNames: { '#s': 'status' } },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const purchase = purchaseStatusSchema.parse(item);
      if (ids.has(purchase.purchaseId)) statuses.set(purchase.purchaseId, purchase);
    }
  }
  return statuses;
};

const countSoldSeats = async (target: Target, concertId: string): Promise<number> => {
  let sold = 0;
  const pages = paginateScan(
    { client: target.documentClient },
    {
      TableName: target.tables.seats,
      FilterExpression: 'concertId = :concertId AND #s = :sold',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':concertId': concertId, ':sold': 'SOLD' },
      Select: 'COUNT',
    },
  );
  for await (const page of pages) sold += page.Count ?? 0;
  return sold;
};

const isTerminal = (status: string) => status === 'CONFIRMED' || status === 'FAILED';

const drain = async (target: Target, accepted: readonly string[], startedAt: number, timeoutSeconds: number) => {
  const ids = new Set(accepted);
  const progress = createProgressWriter(process.stderr);
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const statuses = await readStatuses(target, ids);
    const values = [...statuses.values()];
    const done = values.filter((purchase) => isTerminal(purchase.status)).length;
    const confirmed = values.filter((purchase) => purchase.status === 'CONFIRMED').length;
    progress.update({ done, total: ids.size, confirmed, failed: done - confirmed, elapsedMs: Date.now() - startedAt });
    if (done === ids.size) {
      progress.finish();
      return statuses;
    }
    if (Date.now() > deadline) {
      progress.finish();
      throw new Error(`The queue did not drain within ${timeoutSeconds} s: ${ids.size - done} purchase(s) are not terminal`);
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 1_000));
  }
};

const run = async (args: OnsaleArgs): Promise<number> => {
  const log = (line: string) => console.error(`[onsale] ${line}`);
  const memory = startMemorySampler();
  const target = args.api ? runningTarget(args.api) : await inMemoryTarget(log);
  try {
    const runId = `onsale-${Date.now().toString(36)}`;
    const hall = await createOnsaleConcert(target, args.seats, runId);
    const capacity = hall.rows * hall.seatsPerRow;
    log(`concert ${runId}: ${capacity} seats; ${args.buyers} buyers arrive, ${args.concurrency} requests in flight`);
    const buyers = planBuyers(args.buyers, hall, args.seed, runId);

    const writesBefore = target.dynamoDbWrites() ?? 0;
    const startedAt = Date.now();
    const { accepted, rejected } = await submit(target, runId, buyers, args.concurrency);
    const acceptedMs = Date.now() - startedAt;
    log(`${accepted.length} accepted (202) in ${(acceptedMs / 1000).toFixed(1)} s; draining the queue...`);
    const statuses = await drain(target, accepted, startedAt, args.timeout);
    const elapsedMs = Date.now() - startedAt;
    await target.settle();

    const values = [...statuses.values()];
    const confirmed = values.filter((purchase) => purchase.status === 'CONFIRMED');
    const failedByReason = new Map<string, number>();
    for (const purchase of values.filter((p) => p.status === 'FAILED')) {
      const reason = purchase.failureReason ?? 'UNKNOWN';
      failedByReason.set(reason, (failedByReason.get(reason) ?? 0) + 1);
    }
    const seatsSold = await countSoldSeats(target, runId);
    const writes = target.dynamoDbWrites();
    const results = await checkInvariants({
      documentClient: target.documentClient,
      tables: target.tables,
      archivedEvents: await target.archivedEvents(),
      purchaseIds: accepted,
    });
    memory.stop();

    const lines = [
      '',
      'On-sale summary',
      `  buyers              ${args.buyers}`,
      `  accepted (202)      ${accepted.length}${rejected.size ? `  (rejected: ${[...rejected].map(([status, n]) => `${n} x ${status}`).join(', ')})` : ''}`,
      `  confirmed           ${confirmed.length}`,
      `  failed              ${accepted.length - confirmed.length}${failedByReason.size ? `  (${[...failedByReason].map(([reason, n]) => `${reason} ${n}`).join(', ')})` : ''}`,
      `  seats sold          ${seatsSold} of ${capacity}`,
      `  elapsed             ${(elapsedMs / 1000).toFixed(1)} s (all accepted after ${(acceptedMs / 1000).toFixed(1)} s)`,
      `  throughput          ${(accepted.length / (elapsedMs / 1000)).toFixed(1)} purchases/s`,
      ...(writes !== undefined ? [`  DynamoDB writes     ${writes - writesBefore} item writes by the functions, ${((writes - writesBefore) / Math.max(1, accepted.length)).toFixed(1)} per purchase`] : []),
      `  peak memory         ${(memory.peakBytes() / 1024 / 1024).toFixed(0)} MiB (this process, its workers and the local services)`,
      '',
      'Invariants',
      ...results.map((r) => `  ${r.ok ? 'PASS' : 'FAIL'}  ${r.name}: ${r.detail}`),
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

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDynamoDbConcertStore } from '#domain/catalog/adapters/dynamodb-concert-store';
import { createConcert, type ConcertSpec } from '#domain/catalog/create-concert';
import { parsePriceBands } from '#domain/catalog/seat-layout';
import { dataDirLayout, findFreeRuntimePorts, mintDevelopmentToken, startLocalRuntime, type LocalRuntime } from '#local/index';
import { ApiClient } from '#test/e2e/support/api-client';
import { isTerminal, placePurchase, readPurchases, waitForTerminalPurchases, type PurchaseView } from '#test/e2e/support/purchases';
import { e2eRuntimeOptions, FAST_RETRY_DELAY_SCALE } from '#test/e2e/support/runtime';
import { createDynamoDbClients } from '#test/support/dynamodb';
import { eventually } from '#test/support/eventually';
import { killProcessGroup, startRuntimeProcess, survivorsOf, type GroupMember, type RuntimeProcess } from '#tools/lib/runtime-process';
import { checkInvariants, type InvariantResult } from '#tools/onsale/invariants';
import type { LocalRuntimeFile } from '#tools/ops/config';

/**
 * Invariant 6 of DESIGN.md under a crash: the runtime is SIGKILLed (no exit
 * hook runs) while purchases are in flight, then started again over the same
 * data folder. Every purchase the API accepted must still end CONFIRMED or
 * FAILED, with the other invariants intact, and the killed runtime must leave
 * no process behind (DynamoDB Local's JVM would hold the port and the files).
 */

const START_DEADLINE_MS = 120_000;
const IN_FLIGHT_DEADLINE_MS = 60_000;
const RECOVERY_DEADLINE_MS = 120_000;
/** The SQS child and DynamoDB Local's watchdog react to the parent's death at once; allow for a loaded machine. */
const ORPHAN_DEADLINE_MS = 5_000;

/** 40 seats rather than the 500 of the demo: every seat is two writes to DynamoDB Local on disk, which is slow. */
const CONCERT: ConcertSpec = {
  concertId: 'restart-night',
  name: 'Restart Night',
  venue: 'Crash Hall',
  startsAt: '2027-09-01T20:00:00Z',
  currency: 'EUR',
  rows: 4,
  seatsPerRow: 10,
  priceBands: parsePriceBands('A-D:5000'),
};

type TestToken = 'tok_approve' | 'tok_decline' | 'tok_slow';

interface PlannedPurchase {
  readonly seatIds: readonly string[];
  readonly paymentToken: TestToken;
  /** Another purchase wants the same seat: which one gets it is a race, so its outcome is not predicted. */
  readonly contested: boolean;
}

const planned = (paymentToken: TestToken, seatIds: readonly string[], contested = false): PlannedPurchase => ({ seatIds, paymentToken, contested });

/** 20 purchases: approved, declined, slow (3 s in ChargePayment), and two pairs racing for a seat. */
const PLAN: readonly PlannedPurchase[] = [
  ...[1, 2, 3, 4, 5, 6].map((n) => planned('tok_approve', [`A-${n}`])),
  ...[1, 2, 3, 4, 5, 6].map((n) => planned('tok_decline', [`B-${n}`, `B-${n + 4}`].slice(0, n <= 4 ? 1 : 2))),
  ...[1, 2, 3, 4].map((n) => planned('tok_slow', [`C-${n}`])),
  planned('tok_approve', ['D-1'], true),
  planned('tok_slow', ['D-1'], true),
  planned('tok_approve', ['D-2', 'D-3'], true),
  planned('tok_decline', ['D-3'], true),
];

const EXPECTED_BY_TOKEN: Record<TestToken, Partial<PurchaseView>> = {
  tok_approve: { status: 'CONFIRMED' },
  tok_slow: { status: 'CONFIRMED' },
  tok_decline: { status: 'FAILED', failure: { reason: 'PAYMENT_DECLINED', paymentRefunded: false } },
};


/** Creates the concert through the same data code as `npm run concert`, in the DynamoDB Local of a runtime in another process. */
const seedConcert = async (info: LocalRuntimeFile) => {
  const { client, documentClient } = createDynamoDbClients(info.endpoints.dynamodb);
  try {
    const { outputs } = info;
    const tables = { concerts: outputs.ConcertsTableName, seats: outputs.SeatsTableName, seatAvailability: outputs.SeatAvailabilityTableName };
    await createConcert(createDynamoDbConcertStore({ client: documentClient, tables }), CONCERT);
  } finally {
    client.destroy();
  }
};

describe('the local runtime killed with purchases in flight and started again', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ticketing-restart-'));
  let killed: RuntimeProcess | undefined;
  let survivors: GroupMember[] = [];
  let restarted: LocalRuntime | undefined;
  let api: ApiClient;
  const accepted: Array<{ purchaseId: string; plan: PlannedPurchase }> = [];

  beforeAll(async () => {
    const ports = await findFreeRuntimePorts();
    killed = await startRuntimeProcess({ dataDir, ports, seedDemo: false, retryDelayScale: FAST_RETRY_DELAY_SCALE, startTimeoutMs: START_DEADLINE_MS });
    await seedConcert(killed.info);
    // The runtime keeps its issuer's key in the data folder: a token minted from it stays valid across the restart.
    const token = await mintDevelopmentToken({ authDir: dataDirLayout(dataDir).auth, buyerId: 'buyer-restart' });
    api = new ApiClient(killed.info.endpoints.api, token);

    // One POST at a time: a burst would start a cold worker per request, and on a loaded machine cold starts outlast the API's timeout.
    const purchaseIds: string[] = [];
    for (const plan of PLAN) purchaseIds.push(await placePurchase(api, { concertId: CONCERT.concertId, ...plan }));
    accepted.push(...purchaseIds.map((purchaseId, index) => ({ purchaseId, plan: PLAN[index]! })));

    // Kill once a first purchase has ended: the slow payments alone keep others in flight for 3 s more.
    const atKill = await eventually(
      () => readPurchases(api, purchaseIds),
      (views) => views.some(isTerminal),
      { what: 'a first purchase to end', timeoutMs: IN_FLIGHT_DEADLINE_MS, describe: (views) => views.map((view) => view.status).join(',') },
    );
    process.kill(killed.pid, 'SIGKILL');
    await killed.exited;
    if (atKill.every(isTerminal)) throw new Error('Every purchase had ended before the kill: this run proves nothing about recovery');

    survivors = await survivorsOf(killed.pid, ORPHAN_DEADLINE_MS);
    // Whatever survived would hold the ports and the database files: clear it so the restart can run.
    killProcessGroup(killed.pid);

    restarted = await startLocalRuntime(e2eRuntimeOptions({ inMemory: false, dataDir, ports, seed: undefined }));
  });

  afterAll(async () => {
    if (killed) killProcessGroup(killed.pid);
    await restarted?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Shared by the tests below: every accepted purchase once it is terminal (or the deadline fails loudly, naming it). */
  let terminal: Promise<Array<{ view: PurchaseView; plan: PlannedPurchase }>> | undefined;
  const terminalPurchases = () =>
    (terminal ??= waitForTerminalPurchases(
      api,
      accepted.map(({ purchaseId }) => purchaseId),
      RECOVERY_DEADLINE_MS,
    ).then((views) => views.map((view, index) => ({ view, plan: accepted[index]!.plan }))));

  it('leaves no process of the killed runtime running', () => {
    // Assess
    expect(survivors).toEqual([]);
  });

  it('brings every accepted purchase to CONFIRMED or FAILED', async () => {
    // Act
    const purchases = await terminalPurchases();

    // Assess
    expect(purchases).toHaveLength(PLAN.length);
    expect(purchases.filter(({ view }) => !isTerminal(view))).toEqual([]);
  });

  it('ends each uncontested purchase as its payment token decides', async () => {
    // Act
    const purchases = await terminalPurchases();

    // Assess
    for (const { view, plan } of purchases.filter(({ plan }) => !plan.contested)) {
      expect({ token: plan.paymentToken, view }).toMatchObject({ token: plan.paymentToken, view: EXPECTED_BY_TOKEN[plan.paymentToken] });
    }
  });

  it('keeps the invariants of DESIGN.md', async () => {
    // Prepare
    await terminalPurchases();
    const runtime = restarted!;
    const { outputs } = runtime.info;
    await runtime.eventBridge.whenIdle();

    // Act
    const results: InvariantResult[] = await checkInvariants({
      documentClient: runtime.documentClient,
      tables: { purchases: outputs.PurchasesTableName, seats: outputs.SeatsTableName, invoices: outputs.InvoicesTableName, payments: outputs.PaymentsTableName },
      archivedEvents: runtime.archivedEvents(),
      purchaseIds: accepted.map(({ purchaseId }) => purchaseId),
    });

    // Assess
    expect(results.filter((result) => !result.ok)).toEqual([]);
    expect(results.map((result) => result.name)).toEqual(expect.arrayContaining(['no oversell', 'no double charge', 'every accepted purchase is terminal']));
  });
});

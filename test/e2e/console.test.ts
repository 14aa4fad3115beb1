import { join } from 'node:path';
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { BrowserContext, Page } from 'playwright-core';
import { startConsole, type ConsoleService } from '#tools/console/console-server';
import type { LocalRuntime } from '#local/index';
import { createConcert } from '#domain/catalog/create-concert';
import { createDynamoDbConcertStore } from '#domain/catalog/adapters/dynamodb-concert-store';
import { parsePriceBands } from '#domain/catalog/seat-layout';
import { configureOnSale } from '#domain/waiting-room/adapters/dynamodb-gated-concerts';
import { registerRoom } from '#domain/waiting-room/adapters/dynamodb-waiting-room';
import { createClients } from '#tools/ops/clients';
import { localConfigOf } from '#tools/ops/config';
import type { ArchivePort } from '#tools/ops/ports';
import { placePurchase, waitForTerminalPurchase } from '#test/e2e/support/purchases';
import { DOCS, launchChromium, UPDATE_SCREENSHOTS, type Chromium } from '#test/e2e/support/chromium';
import { DEMO_CONCERT_ID, useLocalRuntime } from '#test/e2e/support/runtime';

/**
 * The web console as support staff use it, in headless Chromium: on a local
 * runtime with one declined (compensated) and one confirmed purchase, sign
 * in with the URL the command prints, open the executions list, find the
 * failed purchase, open it, and read the failed step and the compensation
 * off the page; then configure a gated concert, let a few buyers join its
 * line, and read the line and the pause off the waiting-room page.
 *
 * UPDATE_SCREENSHOTS=1 rewrites docs/console-*.png from this run.
 */

const SAGA_DEADLINE_MS = 60_000;
/** The page polls every 2 s while an execution runs; a few polls is plenty. */
const PAGE_DEADLINE_MS = 15_000;

/** A gated concert of this file only, its start an hour away: every join lands in the pre-queue. */
const GATED_CONCERT_ID = 'console-room';
const GATED_BUYERS = 3;

/** The in-memory runtime keeps its archive in memory: the console reads it there, as it reads the archive file of `npm start`. */
const archiveOf = (runtime: LocalRuntime): ArchivePort => {
  const events = () =>
    runtime.archivedEvents().map((event) => ({ id: event.id, detailType: event['detail-type'], source: event.source, time: new Date(event.time), detail: event.detail }));
  return {
    location: 'in-memory archive of the local runtime',
    eventsOfPurchase: async (purchaseId) => events().filter((event) => event.detail.purchaseId === purchaseId),
    countBetween: async (from, to) => events().filter((event) => event.time >= from && event.time <= to).length,
  };
};

/** The top of the page down to the bottom of `selector`, so a short list makes a short screenshot. */
const pageUpTo = async (page: Page, selector: string) => {
  const box = await page.locator(selector).boundingBox();
  const viewport = page.viewportSize();
  if (!box || !viewport) throw new Error(`${selector} is not on the page`);
  return { x: 0, y: 0, width: viewport.width, height: Math.ceil(box.y + box.height + 40) };
};

describe('the web console', () => {
  const local = useLocalRuntime();
  let webConsole: ConsoleService;
  let chromium: Chromium;
  let browser: BrowserContext;
  let page: Page;
  let declined: string;
  let confirmed: string;

  beforeAll(async () => {
    const { runtime } = local();
    const api = await local().apiAs('buyer-console');
    [declined, confirmed] = await Promise.all([
      placePurchase(api, { concertId: DEMO_CONCERT_ID, seatIds: ['C-1', 'C-2'], paymentToken: 'tok_decline' }),
      placePurchase(api, { concertId: DEMO_CONCERT_ID, seatIds: ['C-3'], paymentToken: 'tok_approve' }),
    ]);
    await Promise.all([waitForTerminalPurchase(api, declined, SAGA_DEADLINE_MS), waitForTerminalPurchase(api, confirmed, SAGA_DEADLINE_MS)]);

    webConsole = await startConsole({ config: localConfigOf(runtime.info, process.cwd()), ports: { archive: archiveOf(runtime) } });
    chromium = await launchChromium('console');
    ({ browser } = chromium);
    page = await browser.newPage();
    await page.goto(webConsole.loginUrl);
  });

  afterAll(async () => {
    await chromium?.close();
    await webConsole?.stop();
  });

  it('shows nothing to a browser that has not opened the printed URL; the URL signs it in and leaves the address bar without the secret', async () => {
    await browser.clearCookies();
    const signedOut = await page.goto(webConsole.url);
    expect(signedOut?.status()).toBe(401);
    expect(await page.content()).toContain('open the URL that npm run console (or npm start) printed');

    await page.goto(webConsole.loginUrl);

    expect(page.url()).toBe(webConsole.url);
    await page.locator('[data-testid="executions"]').waitFor({ timeout: PAGE_DEADLINE_MS });
  });

  it('lists the rejected purchase as a settled execution with its outcome and the step it failed at, next to the confirmed one', async () => {
    await page.goto(webConsole.url);

    const failedRow = page.locator(`tr[data-purchase-id="${declined}"][data-status="SUCCEEDED"][data-outcome="FAILED"]`);
    await failedRow.waitFor({ timeout: PAGE_DEADLINE_MS });
    await page.locator(`tr[data-purchase-id="${confirmed}"][data-status="SUCCEEDED"]`).waitFor({ timeout: PAGE_DEADLINE_MS });
    expect(await failedRow.innerText()).toMatch(/PAYMENT_DECLINED[\s\S]*ChargePayment/);
    if (UPDATE_SCREENSHOTS) await page.screenshot({ path: join(DOCS, 'console-executions.png'), clip: await pageUpTo(page, '[data-testid="executions"]') });
  });

  it('opens the rejected purchase and shows the failed step, the compensation and no payment token', async () => {
    await page.goto(webConsole.url);
    await page.locator('[data-filter="SUCCEEDED"]').click();
    await page.locator(`tr[data-purchase-id="${declined}"] a`).click();

    await page.locator('[data-testid="verdict"]', { hasText: 'FAILED at ChargePayment: PaymentDeclined' }).waitFor({ timeout: PAGE_DEADLINE_MS });
    expect(await page.locator('[data-testid="failed-step"]').innerText()).toContain('Failed at ChargePayment');
    expect(await page.locator('[data-state="ChargePayment"]').getAttribute('data-outcome')).toBe('caught');
    expect(await page.locator('[data-state="ReleaseSeats"]').getAttribute('data-outcome')).toBe('succeeded');
    expect(await page.locator('[data-state="CreateInvoice"]').getAttribute('data-outcome')).toBe('not-visited');
    expect(await page.locator('[data-compensation="ReleaseSeats"]').getAttribute('data-outcome')).toBe('succeeded');
    expect(await page.locator('tr[data-event="PurchaseFailed.v1"]').count()).toBe(1);
    expect(await page.content()).not.toContain('tok_decline');
    if (UPDATE_SCREENSHOTS) await page.screenshot({ path: join(DOCS, 'console-purchase.png'), fullPage: true });
  });

  it('refreshes a running purchase until it ends, without a reload', async () => {
    const api = await local().apiAs('buyer-console');
    // tok_slow approves after 3 s: the page opens while the purchase is queued or running.
    const slow = await placePurchase(api, { concertId: DEMO_CONCERT_ID, seatIds: ['C-4'], paymentToken: 'tok_slow' });

    await page.goto(`${webConsole.url}#/purchases/${slow}`);

    await page.locator('#view[data-live="true"]').waitFor({ timeout: PAGE_DEADLINE_MS });
    await page.locator('[data-testid="verdict"]', { hasText: 'CONFIRMED in' }).waitFor({ timeout: SAGA_DEADLINE_MS });
    expect(await page.locator('#view').getAttribute('data-live')).toBe('false');
    expect(await page.locator('[data-state="PurchaseConfirmed"]').getAttribute('data-outcome')).toBe('succeeded');
  });

  it('shows the bounded-context map', async () => {
    await page.goto(`${webConsole.url}#/context-map`);

    await page.locator('[data-node="handler:create-purchase"]').waitFor({ timeout: PAGE_DEADLINE_MS });
    expect(await page.locator('[data-testid="context-map"] .map-node.event').count()).toBeGreaterThanOrEqual(8);
    if (UPDATE_SCREENSHOTS) await page.screenshot({ path: join(DOCS, 'console-context-map.png'), fullPage: true });
  });

  it("shows a gated concert's waiting room: the line, the on-sale, the pause while the purchase dead-letter queue holds a message, and never the admission key", async () => {
    // Arrange: a gated concert, listed among the rooms, and a few buyers in its pre-queue.
    const { runtime } = local();
    const { documents, sqs } = createClients(localConfigOf(runtime.info, process.cwd()));
    const { outputs } = runtime.info;
    await createConcert(createDynamoDbConcertStore({ client: documents, tables: { concerts: outputs.ConcertsTableName, seats: outputs.SeatsTableName, seatAvailability: outputs.SeatAvailabilityTableName } }), {
      concertId: GATED_CONCERT_ID,
      name: 'Console Room Night',
      venue: 'Local Arena',
      startsAt: '2027-07-01T20:00:00Z',
      currency: 'EUR',
      rows: 1,
      seatsPerRow: 10,
      priceBands: parsePriceBands('A:5000'),
    });
    const onSale = { startsAt: new Date(Date.now() + 60 * 60 * 1_000).toISOString(), admissionsPerMinute: 25, maxActiveBuyers: 100, admissionTtlSeconds: 600 };
    expect(await configureOnSale({ client: documents, tableName: outputs.ConcertsTableName }, GATED_CONCERT_ID, onSale)).toBe('configured');
    await registerRoom({ client: documents, tableName: outputs.WaitingRoomTableName }, GATED_CONCERT_ID);
    for (let buyer = 0; buyer < GATED_BUYERS; buyer += 1) {
      const joined = await (await local().apiAs(`console-room-buyer-${buyer}`)).post(`/concerts/${GATED_CONCERT_ID}/queue`, undefined);
      expect(joined.status).toBe(201);
    }
    const { Item } = await documents.send(new GetCommand({ TableName: outputs.ConcertsTableName, Key: { concertId: GATED_CONCERT_ID } }));
    const admissionKey = String(Item?.admissionKey);
    expect(admissionKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const room = page.locator(`[data-concert-id="${GATED_CONCERT_ID}"]`);

    // Act: the room with the saga healthy, then with a message in the purchase dead-letter queue.
    await page.locator('[data-nav="waiting-rooms"]').click();
    await room.locator('[data-testid="pause"][data-paused="false"]').waitFor({ timeout: PAGE_DEADLINE_MS });
    const lineLength = await room.locator('[data-testid="line-length"] .figure-value').innerText();
    await sqs.send(new SendMessageCommand({ QueueUrl: outputs.PurchaseDeadLetterQueueUrl, MessageBody: JSON.stringify({ purchaseId: 'console-room-dead-letter' }) }));
    try {
      await page.reload();
      await room.locator('[data-testid="pause"][data-paused="true"]').waitFor({ timeout: PAGE_DEADLINE_MS });

      // Assess
      expect(lineLength).toBe(String(GATED_BUYERS));
      expect(await room.locator('[data-testid="pause-reason"]').innerText()).toContain('the purchase dead-letter queue holds 1 message(s)');
      expect(await room.locator('[data-testid="draw"]').getAttribute('data-drawn')).toBe('false');
      expect(await room.locator('[data-testid="on-sale"]').innerText()).toMatch(/Admissions per minute\s*25[\s\S]*Max active buyers\s*100[\s\S]*10 min/);
      expect(await page.content()).not.toContain(admissionKey);
      if (UPDATE_SCREENSHOTS) await page.screenshot({ path: join(DOCS, 'console-waiting-room.png'), clip: await pageUpTo(page, '[data-testid="waiting-rooms"]') });
    } finally {
      // The queue is the runtime's, shared by this file: leave it empty.
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: outputs.PurchaseDeadLetterQueueUrl, MaxNumberOfMessages: 10 }));
      for (const message of Messages) await sqs.send(new DeleteMessageCommand({ QueueUrl: outputs.PurchaseDeadLetterQueueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  });
});

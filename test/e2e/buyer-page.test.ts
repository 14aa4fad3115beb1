import { request } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { configureOnSale } from '#domain/waiting-room/adapters/dynamodb-gated-concerts';
import { registerRoom } from '#domain/waiting-room/adapters/dynamodb-waiting-room';
import { startBuyerPage, type BuyerPageService } from '#tools/buyer-page/buyer-page-server';
import { DOCS, launchChromium, UPDATE_SCREENSHOTS, type Chromium } from '#test/e2e/support/chromium';
import { placePurchase, waitForTerminalPurchase } from '#test/e2e/support/purchases';
import { DEMO_CONCERT_ID, useLocalRuntime } from '#test/e2e/support/runtime';

/**
 * The buyer page of `npm start` as a buyer uses it, in headless Chromium on a
 * local runtime: sign in with a development token, read the seat map, pick
 * seats, buy, and watch the purchase end. The page reaches the system only
 * through the public HTTP API.
 *
 * UPDATE_SCREENSHOTS=1 rewrites docs/buyer-page.png from this run.
 */

const SAGA_DEADLINE_MS = 60_000;
/** The admitter's rate(1 minute) runs about every second, so a buyer first in line is admitted within seconds. */
const SCHEDULE_SCALE = 0.02;
const ADMISSION_DEADLINE_MS = 60_000;
const PAGE_DEADLINE_MS = 15_000;

/** Clicks Buy and waits until the page follows the new purchase to `status`, not the one it showed before. */
const buyAndFollow = async (page: Page, status: 'CONFIRMED' | 'FAILED') => {
  const shownBefore = (await page.locator('#purchase').isVisible()) ? await page.locator('#purchase-details dd').first().innerText() : undefined;
  await page.locator('#buy-button').click();
  await page
    .locator('#purchase-details dd')
    .first()
    .filter({ hasNotText: shownBefore ?? '\u0000' })
    .waitFor({ timeout: PAGE_DEADLINE_MS });
  await page.locator('#purchase-status', { hasText: status }).waitFor({ timeout: SAGA_DEADLINE_MS });
};

/** A GET with a Host header of our choosing, which fetch does not allow. */
const statusWithHost = (url: string, host: string) =>
  new Promise<number>((resolve, reject) => {
    const target = new URL(url);
    request({ hostname: target.hostname, port: target.port, path: '/', headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });

describe('the buyer page', () => {
  const local = useLocalRuntime({ scheduleIntervalScale: SCHEDULE_SCALE });
  let buyerPage: BuyerPageService;
  let chromium: Chromium;
  let page: Page;
  let soldBefore: string;

  beforeAll(async () => {
    const { runtime } = local();
    // Another buyer's seat, sold before the page opens: the map must show it taken.
    const other = await local().apiAs('buyer-page-other');
    soldBefore = await placePurchase(other, { concertId: DEMO_CONCERT_ID, seatIds: ['A-1'], paymentToken: 'tok_approve' });
    await waitForTerminalPurchase(other, soldBefore, SAGA_DEADLINE_MS);

    buyerPage = await startBuyerPage({ apiUrl: runtime.apiUrl });
    chromium = await launchChromium('buyer-page');
    page = await chromium.browser.newPage();
  });

  afterAll(async () => {
    await chromium?.close();
    await buyerPage?.stop();
  });

  it('signs in with a development token and shows the seat map coloured by availability', async () => {
    await page.goto(`${buyerPage.url}?concert=${DEMO_CONCERT_ID}`);
    await page.locator('#token').fill(await local().runtime.mintToken('buyer-page'));
    await page.locator('#sign-in-form button').click();

    await page.locator('[data-seat="A-2"].available').waitFor({ timeout: PAGE_DEADLINE_MS });
    expect(await page.locator('#buyer').innerText()).toBe('Signed in as buyer-page');
    expect(await page.locator('[data-seat="A-1"]').getAttribute('class')).toContain('sold');
    expect(await page.locator('[data-seat="A-1"]').isDisabled()).toBe(true);
    expect(await page.locator('#seat-map .seat.available').count()).toBe(499);
  });

  it('buys two picked seats and follows the purchase until it is CONFIRMED, then shows them sold', async () => {
    await page.locator('[data-seat="B-7"]').click();
    await page.locator('[data-seat="B-8"]').click();
    expect(await page.locator('#selection').innerText()).toBe('B-7, B-8');

    await buyAndFollow(page, 'CONFIRMED');

    expect(await page.locator('#purchase-details').innerText()).toMatch(/B-7, B-8[\s\S]*Total[\s\S]*240\.00 EUR/);
    await page.locator('[data-seat="B-7"].sold').waitFor({ timeout: PAGE_DEADLINE_MS });
    if (UPDATE_SCREENSHOTS) await page.screenshot({ path: join(DOCS, 'buyer-page.png'), fullPage: true });
  });

  // ReserveSeats draws the block from the band's best 16 (domain/inventory/best-available-seats.ts), so it may lie in the band's second row.
  it('buys the best two seats available in a price band, side by side in one of its rows', async () => {
    await page.locator('input[name="how"][value="best"]').check();
    await page.locator('#quantity').fill('2');
    await page.locator('#price-band').selectOption('F-J');

    await buyAndFollow(page, 'CONFIRMED');

    const details = await page.locator('#purchase-details').innerText();
    // Matched first so that a failure prints what the page showed.
    expect(details).toMatch(/Seats\s+([F-J])-\d+, \1-\d+/);
    const seats = /Seats\s+[F-J]-(\d+), [F-J]-(\d+)/.exec(details);
    expect(Math.abs(Number(seats?.[1]) - Number(seats?.[2]))).toBe(1);
    await page.locator('input[name="how"][value="picked"]').check();
  });

  it('shows a declined card as FAILED with the reason, and the seat free again', async () => {
    await page.locator('[data-seat="C-1"]').click();
    await page.locator('#payment-token').selectOption('tok_decline');

    await buyAndFollow(page, 'FAILED');

    expect(await page.locator('#purchase-details').innerText()).toContain('PAYMENT_DECLINED');
    await page.locator('[data-seat="C-1"].available').waitFor({ timeout: PAGE_DEADLINE_MS });
  });

  it('waits in line for a concert sold through a waiting room, then buys with the admission', async () => {
    // Prepare: the demo concert gated, its on-sale open since a minute ago (the last test of the file: the others buy ungated).
    const { runtime } = local();
    const { outputs } = runtime.info;
    const onSale = { startsAt: new Date(Date.now() - 60_000).toISOString(), admissionsPerMinute: 60, maxActiveBuyers: 100, admissionTtlSeconds: 600 };
    expect(await configureOnSale({ client: runtime.documentClient, tableName: outputs.ConcertsTableName ?? '' }, DEMO_CONCERT_ID, onSale)).toBe('configured');
    await registerRoom({ client: runtime.documentClient, tableName: outputs.WaitingRoomTableName ?? '' }, DEMO_CONCERT_ID);
    await page.locator('input[name="how"][value="picked"]').check();

    // Act
    await page.locator('#concert-form button').click();
    await page.locator('#line').waitFor({ timeout: PAGE_DEADLINE_MS });
    expect(await page.locator('#buy-button').isDisabled()).toBe(true);
    await page.locator('#line-status', { hasText: 'ADMITTED' }).waitFor({ timeout: ADMISSION_DEADLINE_MS });
    await page.locator('[data-seat="D-5"]').click();
    await page.locator('#payment-token').selectOption('tok_approve');
    await buyAndFollow(page, 'CONFIRMED');

    // Assess
    expect(await page.locator('#line-details').innerText()).toMatch(/Position\s+\d+\s+People ahead\s+0[\s\S]*Admitted until/);
    expect(await page.locator('#purchase-details').innerText()).toContain('D-5');
    if (UPDATE_SCREENSHOTS) await page.screenshot({ path: join(DOCS, 'buyer-page-waiting-room.png'), fullPage: true });
  });

  it('answers only to its own host names, so a rebound DNS name reaches nothing', async () => {
    const port = new URL(buyerPage.url).port;

    expect(await statusWithHost(buyerPage.url, `localhost:${port}`)).toBe(200);
    expect(await statusWithHost(buyerPage.url, `attacker.example:${port}`)).toBe(421);
  });
});

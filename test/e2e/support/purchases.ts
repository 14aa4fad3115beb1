import type { z } from 'zod';
import { acceptedPurchaseSchema, errorBodySchema, purchaseViewSchema, seatMapSchema } from '#tools/openapi/contract';
import { eventually } from '#test/support/eventually';
import type { ApiClient, ApiResponse } from './api-client.ts';

/**
 * The purchase API as a buyer's app uses it. Every answer is parsed with the
 * schemas of the published contract (docs/openapi.json, rendered from
 * tools/openapi/contract.ts), written apart from the handlers: the end-to-end
 * tests hold the API to its description.
 */

export const TERMINAL_STATUSES = ['CONFIRMED', 'FAILED'] as const;

export { errorBodySchema };
export type PurchaseView = z.infer<typeof purchaseViewSchema>;

/** Seats named by id, or a quantity of the best available seats, optionally in one price band. */
export type PurchaseRequest =
  | { readonly concertId: string; readonly seatIds: readonly string[]; readonly paymentToken: string }
  | { readonly concertId: string; readonly quantity: number; readonly priceBand?: string; readonly paymentToken: string };

const askedFor = (request: PurchaseRequest) =>
  'seatIds' in request ? request.seatIds.join(',') : `${request.quantity} best seats${request.priceBand ? ` in ${request.priceBand}` : ''}`;

const describeResponse = (response: ApiResponse) => `HTTP ${response.status} ${JSON.stringify(response.body)}`;

/** POSTs a purchase and returns its id; anything but 202 fails with the answer the API gave. */
export const placePurchase = async (api: ApiClient, request: PurchaseRequest, idempotencyKey?: string): Promise<string> => {
  const response = await api.post('/purchases', request, idempotencyKey === undefined ? {} : { headers: { 'Idempotency-Key': idempotencyKey } });
  if (response.status !== 202) throw new Error(`POST /purchases for ${askedFor(request)} was not accepted: ${describeResponse(response)}`);
  return acceptedPurchaseSchema.parse(response.body).purchaseId;
};

/** The purchase as its buyer reads it; fails on anything but 200. */
export const readPurchase = async (api: ApiClient, purchaseId: string): Promise<PurchaseView> => {
  const response = await api.get(`/purchases/${encodeURIComponent(purchaseId)}`);
  if (response.status !== 200) throw new Error(`GET /purchases/${purchaseId} answered ${describeResponse(response)}`);
  return purchaseViewSchema.parse(response.body);
};

export const isTerminal = (view: PurchaseView) => (TERMINAL_STATUSES as readonly string[]).includes(view.status);

/** Polls GET /purchases/{id} until CONFIRMED or FAILED; at the deadline fails naming the purchase and its last status. */
export const waitForTerminalPurchase = (api: ApiClient, purchaseId: string, timeoutMs: number): Promise<PurchaseView> =>
  eventually(() => readPurchase(api, purchaseId), isTerminal, {
    what: `purchase ${purchaseId} to reach CONFIRMED or FAILED`,
    timeoutMs,
    intervalMs: 200,
    describe: (view) => `status ${view.status}${view.failure?.reason ? ` (${view.failure.reason})` : ''}`,
  });

/** Reads the purchases one after the other: a burst of parallel GETs would only measure the cold starts of the API's function. */
export const readPurchases = async (api: ApiClient, purchaseIds: readonly string[]): Promise<PurchaseView[]> => {
  const views: PurchaseView[] = [];
  for (const purchaseId of purchaseIds) views.push(await readPurchase(api, purchaseId));
  return views;
};

/**
 * Polls every purchase until each is CONFIRMED or FAILED, one GET at a time;
 * at the deadline fails naming each purchase still running and its last status.
 */
export const waitForTerminalPurchases = async (api: ApiClient, purchaseIds: readonly string[], timeoutMs: number): Promise<PurchaseView[]> => {
  const ended = new Map<string, PurchaseView>();
  await eventually(
    async () => {
      const views = await readPurchases(api, purchaseIds.filter((purchaseId) => !ended.has(purchaseId)));
      for (const view of views.filter(isTerminal)) ended.set(view.purchaseId, view);
      return views.filter((view) => !isTerminal(view));
    },
    (running) => running.length === 0,
    {
      what: `${purchaseIds.length} purchases to reach CONFIRMED or FAILED`,
      timeoutMs,
      intervalMs: 250,
      describe: (running) => `${running.length} still running: ${running.map((view) => `${view.purchaseId} ${view.status}`).join(', ')}`,
    },
  );
  return purchaseIds.map((purchaseId) => {
    const view = ended.get(purchaseId);
    if (!view) throw new Error(`purchase ${purchaseId} was never read`);
    return view;
  });
};

/** Seat id -> status from GET /concerts/{concertId}/seats (the availability projection). */
export const readSeatMap = async (api: ApiClient, concertId: string): Promise<Map<string, string>> => {
  const response = await api.get(`/concerts/${encodeURIComponent(concertId)}/seats`);
  if (response.status !== 200) throw new Error(`GET /concerts/${concertId}/seats answered ${describeResponse(response)}`);
  const seatMap = seatMapSchema.parse(response.body);
  return new Map(seatMap.rows.flatMap((row) => row.seats.map((seat) => [seat.seatId, seat.status] as const)));
};

/** The status of each seat, polled until every one shows `status` (the projection follows the saga's events). */
export const waitForSeats = (api: ApiClient, concertId: string, seatIds: readonly string[], status: string, timeoutMs: number) =>
  eventually(
    async () => {
      const seatMap = await readSeatMap(api, concertId);
      return Object.fromEntries(seatIds.map((seatId) => [seatId, seatMap.get(seatId) ?? 'missing']));
    },
    (statuses) => Object.values(statuses).every((seatStatus) => seatStatus === status),
    { what: `seats ${seatIds.join(', ')} of ${concertId} to show ${status} in the seat map`, timeoutMs, intervalMs: 200 },
  );

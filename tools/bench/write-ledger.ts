import type { Figure } from './figures.ts';
import { formatRatio } from './table.ts';
import type { ProbePurchase, ProbeResult } from './writes-probe.ts';

/**
 * Why a purchase costs the DynamoDB item writes it does, write by write, on
 * each path the saga takes. The bench measures the same paths
 * (writes-probe.ts) and prints the two side by side: a write the ledger
 * cannot explain, or one it expects and the code no longer makes, shows as
 * a ratio other than 1.00x. `k` is the number of seats the purchase asks for.
 */

export type LedgerPath = 'confirmed' | 'seats-taken' | 'declined';

export interface LedgerWrite {
  /** The function that makes the write. */
  readonly by: string;
  readonly operation: 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'TransactWriteItems';
  readonly table: string;
  readonly writes: (seats: number) => number;
  /** Shown as "1" or "k". */
  readonly count: string;
  readonly why: string;
}

const one = () => 1;
const perSeat = (seats: number) => seats;

const write = (by: string, operation: LedgerWrite['operation'], table: string, why: string, perSeatWrite = false): LedgerWrite => ({
  by,
  operation,
  table,
  writes: perSeatWrite ? perSeat : one,
  count: perSeatWrite ? 'k' : '1',
  why,
});

/** Powertools idempotency around a saga step: the in-progress record, then its result (a step that throws deletes the record instead). */
const idempotency = (step: string, outcome: 'completes' | 'throws'): LedgerWrite[] => [
  write(step, 'PutItem', 'idempotency', 'in-progress record, conditional on none running: a duplicate invocation waits instead of running twice'),
  outcome === 'completes'
    ? write(step, 'UpdateItem', 'idempotency', 'the step result, returned to a repeated invocation instead of running it again')
    : write(step, 'DeleteItem', 'idempotency', 'the step threw a business error: the record goes so that the same input is judged again, never replayed'),
];

const accepted: LedgerWrite[] = [
  write('create-purchase', 'PutItem', 'purchases', 'the QUEUED purchase, conditional on a new purchaseId: the Idempotency-Key makes one purchase of a retried POST'),
  write('start-purchase', 'UpdateItem', 'purchases', 'the start claim (and the sweeper\'s pending marker), conditional on QUEUED: a redelivered message starts no second execution'),
  write('project-purchase-status', 'UpdateItem', 'purchases', 'PurchaseRequested projected (status rank condition: replays change nothing)'),
];

const reserved: LedgerWrite[] = [
  ...idempotency('reserve-seats', 'completes'),
  write('reserve-seats', 'TransactWriteItems', 'seats', 'each seat AVAILABLE -> HELD on its version, all or none', true),
  write('project-purchase-status', 'UpdateItem', 'purchases', 'SeatsReserved projected: RESERVED'),
  write('project-seat-availability', 'UpdateItem', 'seat availability', 'SeatsReserved projected, one item per seat, on the seat version', true),
];

const failed: LedgerWrite[] = [
  ...idempotency('record-purchase-failure', 'completes'),
  write('project-purchase-status', 'UpdateItem', 'purchases', 'PurchaseFailed projected: FAILED with the reason'),
];

export const LEDGER: Readonly<Record<LedgerPath, readonly LedgerWrite[]>> = {
  confirmed: [
    ...accepted,
    ...reserved,
    ...idempotency('charge-payment', 'completes'),
    write('charge-payment', 'UpdateItem', 'payments', 'the attempt counted on the payment key (purchaseId): what the provider saw, before it answers'),
    write('charge-payment', 'UpdateItem', 'payments', 'the charge, conditional on no charge and no void: one charge per purchaseId, and none after a refund voided the key'),
    write('project-purchase-status', 'UpdateItem', 'purchases', 'PaymentCharged projected: PAID'),
    ...idempotency('create-invoice', 'completes'),
    write('create-invoice', 'PutItem', 'invoices', 'the invoice, conditional on none for the purchase (nor a void mark)'),
    write('project-purchase-status', 'UpdateItem', 'purchases', 'InvoiceCreated projected: the invoiceId'),
    ...idempotency('confirm-purchase', 'completes'),
    write('confirm-purchase', 'TransactWriteItems', 'seats', 'each seat HELD by the purchase -> SOLD, all or none', true),
    write('project-purchase-status', 'UpdateItem', 'purchases', 'PurchaseConfirmed projected: CONFIRMED'),
    write('project-seat-availability', 'UpdateItem', 'seat availability', 'PurchaseConfirmed projected: each seat SOLD', true),
  ],
  'seats-taken': [
    ...accepted,
    // The reservation's transaction is cancelled: DynamoDB wrote none of it, and the counter counts what was written.
    ...idempotency('reserve-seats', 'throws'),
    ...failed,
  ],
  declined: [
    ...accepted,
    ...reserved,
    ...idempotency('charge-payment', 'throws'),
    write('charge-payment', 'UpdateItem', 'payments', 'the attempt counted on the payment key; a declined card records no charge'),
    ...idempotency('release-seats', 'completes'),
    write('release-seats', 'TransactWriteItems', 'seats', 'each seat HELD by the purchase -> AVAILABLE again', true),
    write('project-purchase-status', 'UpdateItem', 'purchases', 'SeatsReleased projected: a fact on the purchase'),
    write('project-seat-availability', 'UpdateItem', 'seat availability', 'SeatsReleased projected: each seat AVAILABLE', true),
    ...failed,
  ],
};

export const ledgerWrites = (path: LedgerPath, seats: number): number => LEDGER[path].reduce((sum, entry) => sum + entry.writes(seats), 0);

/**
 * What the bench buys, one at a time, on a fresh 25-seat concert (row A):
 * a confirmed purchase of one seat and one of two (the per-seat cost), a
 * purchase of a seat already sold, a declined card.
 */
export const LEDGER_PROBES: ReadonlyArray<ProbePurchase & { readonly path: LedgerPath }> = [
  { path: 'confirmed', seatIds: ['A-1'], paymentToken: 'tok_approve' },
  { path: 'confirmed', seatIds: ['A-2', 'A-3'], paymentToken: 'tok_approve' },
  { path: 'seats-taken', seatIds: ['A-1'], paymentToken: 'tok_approve' },
  { path: 'declined', seatIds: ['A-4', 'A-5'], paymentToken: 'tok_decline' },
];

const isLedgerPath = (path: string): path is LedgerPath => path in LEDGER;

export const writesFigures = (results: readonly ProbeResult[]): Figure[] =>
  results.flatMap((result): Figure[] => {
    if (!isLedgerPath(result.path)) return [];
    return [
      {
        id: `writes.${result.path}.${result.seats}`,
        section: 'writes',
        label: `${result.path}, ${result.seats} seat(s): ${result.outcome}`,
        value: result.writes,
        unit: 'count',
        reference: { value: ledgerWrites(result.path, result.seats), label: 'ledger' },
        target: { op: '<=', ratio: 1 },
        note: 'writes: item writes DynamoDB accepted from the functions (a transaction counts its items, a cancelled one nothing), one purchase at a time; the ledger below says why each is made',
      },
    ];
  });

/** The ledger, path by path, with what the probe measured for each operation. */
export const renderLedger = (results: readonly ProbeResult[]): string => {
  const lines = ['  Write ledger (k = seats of the purchase)'];
  for (const path of Object.keys(LEDGER) as LedgerPath[]) {
    const entries = LEDGER[path];
    const perSeatCount = entries.filter((e) => e.count === 'k').length;
    lines.push(`    ${path}: ${entries.length - perSeatCount} + ${perSeatCount}k item writes`);
    const widths = { by: Math.max(...entries.map((e) => e.by.length)), operation: Math.max(...entries.map((e) => e.operation.length)) };
    for (const entry of entries) lines.push(`      ${entry.count}  ${entry.by.padEnd(widths.by)}  ${entry.operation.padEnd(widths.operation)}  ${entry.table}: ${entry.why}`);
    for (const result of results.filter((r) => r.path === path)) {
      const expected = ledgerWrites(path, result.seats);
      const operations = Object.entries(result.byOperation).map(([operation, n]) => `${operation} ${n}`).join(', ');
      lines.push(`      measured with k = ${result.seats}: ${result.writes} (${operations}); ledger ${expected}, ${formatRatio(result.writes / expected)}`);
    }
  }
  return lines.join('\n');
};

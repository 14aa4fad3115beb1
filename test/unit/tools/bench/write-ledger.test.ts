import { LEDGER, LEDGER_PROBES, ledgerWrites, renderLedger, writesFigures } from '#tools/bench/write-ledger';

test('a confirmed purchase costs 18 writes and 4 per seat', () => {
  // 4 per seat: held, sold, and the availability projection of each.
  expect([ledgerWrites('confirmed', 1), ledgerWrites('confirmed', 2)]).toEqual([22, 26]);
});

test('a purchase whose seats are taken writes no seat at all', () => {
  expect([ledgerWrites('seats-taken', 1), ledgerWrites('seats-taken', 4)]).toEqual([8, 8]);
});

test('a declined purchase holds and releases its seats', () => {
  expect(ledgerWrites('declined', 2)).toBe(23);
});

test('every saga step of a path writes its idempotency record first', () => {
  // Assess
  for (const entries of Object.values(LEDGER)) {
    const steps = new Set(entries.filter((e) => e.table === 'idempotency').map((e) => e.by));
    for (const step of steps) expect(entries.find((e) => e.by === step)).toMatchObject({ operation: 'PutItem', table: 'idempotency' });
  }
});

test('each probed purchase becomes a figure judged against the ledger', () => {
  // Prepare
  const result = { path: 'confirmed', seats: 2, outcome: 'CONFIRMED', writes: 27, byOperation: { PutItem: 6, UpdateItem: 17, TransactWriteItems: 4 } };

  // Act
  const [figure] = writesFigures([result]);

  // Assess
  expect(figure).toMatchObject({ id: 'writes.confirmed.2', value: 27, reference: { value: 26, label: 'ledger' }, target: { op: '<=', ratio: 1 } });
});

test('the ledger prints every write of each path and what was measured beside it', () => {
  // Act
  const text = renderLedger([{ path: 'seats-taken', seats: 1, outcome: 'FAILED', writes: 8, byOperation: { PutItem: 3, UpdateItem: 4, DeleteItem: 1 } }]);

  // Assess
  expect(text).toContain('    seats-taken: 8 + 0k item writes');
  expect(text).toContain('      measured with k = 1: 8 (PutItem 3, UpdateItem 4, DeleteItem 1); ledger 8, 1.00x');
  expect(text.split('\n').filter((line) => /^ {6}[1k] {2}/.test(line))).toHaveLength(LEDGER.confirmed.length + LEDGER['seats-taken'].length + LEDGER.declined.length);
});

test('the probes cover every path of the ledger', () => {
  expect(new Set(LEDGER_PROBES.map((p) => p.path))).toEqual(new Set(Object.keys(LEDGER)));
});

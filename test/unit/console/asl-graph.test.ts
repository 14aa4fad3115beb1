import { aslDefinitionSchema, GRAPH_METRICS, layoutStateMachine, type GraphLayout } from '#tools/console/asl-graph';
import { overlayOf } from '#tools/console/purchase-view';
import { buildTimeline } from '#tools/ops/execution-timeline';
import { purchaseSagaDefinition } from '#workflows/purchase-saga';
import { loadHistory } from '#test/unit/tools/ops/history-fixtures';

const saga = aslDefinitionSchema.parse(JSON.parse(JSON.stringify(purchaseSagaDefinition)));

const placement = (layout: GraphLayout) => Object.fromEntries(layout.nodes.map((node) => [node.id, [node.row, node.column]]));

test('the forward steps form the top row, in the order they run', () => {
  const layout = layoutStateMachine(saga);

  const top = layout.nodes.filter((node) => node.row === 0).sort((a, b) => a.column - b.column).map((node) => node.id);
  expect(top).toEqual(['ReserveSeats', 'ChargePayment', 'CreateInvoice', 'ConfirmPurchase', 'PurchaseConfirmed']);
});

test('the compensations form the second row, right to left in the order they run, ending in PurchaseFailed', () => {
  const layout = layoutStateMachine(saga);

  expect(placement(layout)).toEqual({
    PurchaseFailed: [1, 0],
    ReserveSeats: [0, 1],
    RecordPurchaseFailure: [1, 1],
    ChargePayment: [0, 2],
    ReleaseSeats: [1, 2],
    CreateInvoice: [0, 3],
    RefundPayment: [1, 3],
    ConfirmPurchase: [0, 4],
    VoidInvoice: [1, 4],
    PurchaseConfirmed: [0, 5],
  });
});

test('both ends are Succeed states: the definition has no Fail state to draw', () => {
  const layout = layoutStateMachine(saga);

  const ends = layout.nodes.filter((node) => !layout.edges.some((edge) => edge.from === node.id));
  expect(ends.map((node) => [node.id, node.type])).toEqual([
    ['PurchaseConfirmed', 'Succeed'],
    ['PurchaseFailed', 'Succeed'],
  ]);
  expect(layout.nodes.some((node) => node.type === 'Fail')).toBe(false);
});

test('nodes are placed on a grid and the drawing is as large as the grid', () => {
  const { nodeWidth, nodeHeight, columnGap, rowGap, margin } = GRAPH_METRICS;

  const layout = layoutStateMachine(saga);

  const chargePayment = layout.nodes.find((node) => node.id === 'ChargePayment');
  expect(chargePayment).toMatchObject({ x: margin + 2 * (nodeWidth + columnGap), y: margin, width: nodeWidth, height: nodeHeight });
  expect(layout.width).toBe(2 * margin + 6 * nodeWidth + 5 * columnGap);
  expect(layout.height).toBe(2 * margin + 2 * nodeHeight + rowGap);
});

test('every Next and Catch of the definition is an edge, catches with the errors they match', () => {
  const layout = layoutStateMachine(saga);

  expect(layout.edges).toHaveLength(14);
  expect(layout.edges).toContainEqual(
    expect.objectContaining({ from: 'ChargePayment', to: 'ReleaseSeats', kind: 'catch', errors: ['PaymentDeclined', 'InsufficientFunds', 'HoldExpired'] }),
  );
  expect(layout.edges).toContainEqual(expect.objectContaining({ from: 'ConfirmPurchase', to: 'VoidInvoice', kind: 'catch', errors: ['SeatsNoLongerHeld'] }));
  expect(layout.edges).toContainEqual(expect.objectContaining({ from: 'VoidInvoice', to: 'RefundPayment', kind: 'next', path: expect.stringMatching(/^M[\d.]+,[\d.]+ L/) }));
  expect(layout.edges).toContainEqual(expect.objectContaining({ from: 'RefundPayment', to: 'ReleaseSeats', kind: 'next', path: expect.stringMatching(/^M[\d.]+,[\d.]+ L/) }));
});

test('without an execution every state is not visited and no edge is taken', () => {
  const layout = layoutStateMachine(saga);

  expect(new Set(layout.nodes.map((node) => node.outcome))).toEqual(new Set(['not-visited']));
  expect(layout.edges.some((edge) => edge.taken)).toBe(false);
});

test('the path of a declined purchase is marked, from the catch into the compensations', () => {
  const layout = layoutStateMachine(saga, overlayOf(buildTimeline(loadHistory('paymentDeclined'))));

  const taken = layout.edges.filter((edge) => edge.taken).map((edge) => `${edge.from}->${edge.to}`);
  expect(taken).toEqual(['ReserveSeats->ChargePayment', 'ChargePayment->ReleaseSeats', 'ReleaseSeats->RecordPurchaseFailure', 'RecordPurchaseFailure->PurchaseFailed']);
  expect(layout.nodes.find((node) => node.id === 'ChargePayment')).toMatchObject({ outcome: 'caught', error: 'PaymentDeclined' });
  expect(layout.nodes.find((node) => node.id === 'PurchaseFailed')).toMatchObject({ outcome: 'succeeded' });
});

test('an execution that failed in a compensation marks that task as failed and the path to it', () => {
  const layout = layoutStateMachine(saga, overlayOf(buildTimeline(loadHistory('refundGaveUp'))));

  const taken = layout.edges.filter((edge) => edge.taken).map((edge) => `${edge.from}->${edge.to}`);
  expect(taken).toEqual(['ReserveSeats->ChargePayment', 'ChargePayment->RefundPayment']);
  expect(layout.nodes.find((node) => node.id === 'RefundPayment')).toMatchObject({ outcome: 'failed', attempts: 11, error: 'DependencyUnavailable' });
});

test('a state nothing leads to is still drawn, below the rest', () => {
  const definition = aslDefinitionSchema.parse({ StartAt: 'A', States: { A: { Type: 'Succeed' }, Orphan: { Type: 'Pass', End: true } } });

  const layout = layoutStateMachine(definition);

  expect(placement(layout)).toEqual({ A: [0, 0], Orphan: [1, 0] });
});

test('Choice branches stay in the row of the choice', () => {
  const definition = aslDefinitionSchema.parse({
    StartAt: 'Decide',
    States: { Decide: { Type: 'Choice', Choices: [{ Variable: '$.x', BooleanEquals: true, Next: 'Yes' }], Default: 'No' }, Yes: { Type: 'Succeed' }, No: { Type: 'Fail' } },
  });

  const layout = layoutStateMachine(definition);

  expect(placement(layout)).toEqual({ Decide: [0, 0], Yes: [0, 1], No: [0, 2] });
  expect(layout.edges.map((edge) => edge.kind)).toEqual(['choice', 'choice']);
});

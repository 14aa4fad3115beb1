import { isFailure, startPurchases } from '#domain/orders/purchase-starter';
import type { StartPurchaseExecution } from '#domain/orders/ports';
import type { SagaInput } from '#workflows/saga-input';

const input = (purchaseId: string): SagaInput => ({
  purchaseId,
  buyerId: 'buyer-1',
  concertId: 'rock-night',
  seatIds: ['A-1'],
  correlationId: 'corr-1',
});
const message = (messageId: string, body: unknown) => ({ messageId, body: typeof body === 'string' ? body : JSON.stringify(body) });

test('starts one execution per message with the parsed saga input', async () => {
  const started: SagaInput[] = [];
  const start: StartPurchaseExecution = async (sagaInput) => {
    started.push(sagaInput);
    return 'started';
  };

  const results = await startPurchases([message('m1', input('purchase-0001')), message('m2', input('purchase-0002'))], start);

  expect(started).toEqual([input('purchase-0001'), input('purchase-0002')]);
  expect(results.map((r) => r.outcome)).toEqual(['started', 'started']);
});

test('counts an execution that already exists as started, not as a failure', async () => {
  const results = await startPurchases([message('m1', input('purchase-0001'))], async () => 'alreadyStarted');

  expect(results.filter(isFailure)).toEqual([]);
});

test('reports a body that is not JSON as a failure without calling Step Functions', async () => {
  const start = jest.fn<ReturnType<StartPurchaseExecution>, Parameters<StartPurchaseExecution>>();

  const [result] = await startPurchases([message('m1', '{not json')], start);

  expect(result).toMatchObject({ messageId: 'm1', outcome: 'invalid', issues: expect.stringContaining('body is not JSON') });
  expect(start).not.toHaveBeenCalled();
});

test('reports a body that is not a saga input as a failure', async () => {
  const [result] = await startPurchases([message('m1', { purchaseId: 'purchase-0001' })], async () => 'started');

  expect(result?.outcome).toBe('invalid');
});

test('does not pass on fields outside the saga input', async () => {
  const start = jest.fn<ReturnType<StartPurchaseExecution>, Parameters<StartPurchaseExecution>>().mockResolvedValue('started');

  await startPurchases([message('m1', { ...input('purchase-0001'), paymentToken: 'tok_approve' })], start);

  expect(start).toHaveBeenCalledWith(input('purchase-0001'));
});

test('isolates a failed start: the other messages of the batch still start', async () => {
  const start: StartPurchaseExecution = async ({ purchaseId }) => {
    if (purchaseId === 'purchase-0002') throw new Error('ThrottlingException');
    return 'started';
  };

  const results = await startPurchases(
    [message('m1', input('purchase-0001')), message('m2', input('purchase-0002')), message('m3', input('purchase-0003'))],
    start,
  );

  expect(results.map((r) => [r.messageId, r.outcome])).toEqual([
    ['m1', 'started'],
    ['m2', 'failed'],
    ['m3', 'started'],
  ]);
});

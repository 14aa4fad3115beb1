import { listDeadLetters, moveDeadLetters } from '#tools/ops/dead-letters';
import { CommandFailedError } from '#tools/lib/command-line';
import type { QueueMessage, QueuePort } from '#tools/ops/ports';

const SOURCE = 'http://sqs/purchase-queue';
const DLQ = 'http://sqs/purchase-dlq';

const message = (n: number, purchaseId = `purchase-${String(n).padStart(4, '0')}`): QueueMessage => ({
  messageId: `m${n}`,
  receiptHandle: `h${n}`,
  body: JSON.stringify({ purchaseId, buyerId: 'buyer-1', concertId: 'rock-night', seatIds: ['A-1'], correlationId: 'c' }),
  receiveCount: 6,
  sentAt: new Date('2026-11-26T12:00:00Z'),
});

/** An SQS queue pair in memory: received messages stay hidden until released or deleted. */
const fakeQueues = (dead: QueueMessage[]) => {
  const queues = new Map<string, QueueMessage[]>([[SOURCE, []], [DLQ, [...dead]]]);
  const hidden = new Map<string, QueueMessage>();
  const calls: string[] = [];
  const port: QueuePort = {
    approximateCount: async (url) => queues.get(url)?.length ?? 0,
    receive: async (url, max) => {
      const batch = (queues.get(url) ?? []).splice(0, Math.min(max, 10));
      for (const m of batch) hidden.set(m.receiptHandle, m);
      calls.push(`receive ${batch.length}`);
      return batch;
    },
    release: async (url, handles) => {
      calls.push(`release ${handles.length}`);
      for (const handle of handles) {
        const m = hidden.get(handle);
        if (m) queues.get(url)?.push(m);
        hidden.delete(handle);
      }
    },
    send: async (url, m) => {
      calls.push(`send ${m.messageId}`);
      queues.get(url)?.push({ ...m, receiptHandle: `${m.receiptHandle}-sent` });
    },
    delete: async (_url, handle) => {
      calls.push('delete');
      hidden.delete(handle);
    },
  };
  return { port, queues, calls };
};

test('list shows every dead letter with its purchase, receive count and first sent time', async () => {
  const { port } = fakeQueues([message(1), message(2)]);

  const listing = await listDeadLetters(port, DLQ, 100);

  expect(listing.approximateCount).toBe(2);
  expect(listing.letters).toEqual([
    { messageId: 'm1', purchaseId: 'purchase-0001', receiveCount: 6, sentAt: new Date('2026-11-26T12:00:00Z') },
    { messageId: 'm2', purchaseId: 'purchase-0002', receiveCount: 6, sentAt: new Date('2026-11-26T12:00:00Z') },
  ]);
});

test('list consumes nothing: every message received is visible again afterwards', async () => {
  const { port, queues } = fakeQueues(Array.from({ length: 23 }, (_, i) => message(i)));

  await listDeadLetters(port, DLQ, 100);

  expect(queues.get(DLQ)).toHaveLength(23);
});

test('list makes the messages visible again even when a receive fails midway', async () => {
  const { port, queues } = fakeQueues(Array.from({ length: 15 }, (_, i) => message(i)));
  const receive = port.receive;
  let receives = 0;
  port.receive = async (...args) => {
    if (++receives === 2) throw new Error('network down');
    return receive(...args);
  };

  await expect(listDeadLetters(port, DLQ, 100)).rejects.toThrow('network down');
  expect(queues.get(DLQ)).toHaveLength(15);
});

test('list stops at --max', async () => {
  const { port } = fakeQueues(Array.from({ length: 15 }, (_, i) => message(i)));

  const listing = await listDeadLetters(port, DLQ, 12);

  expect(listing.letters).toHaveLength(12);
});

test('a body that is not a purchase message is listed without a purchaseId', async () => {
  const { port } = fakeQueues([{ ...message(1), body: 'garbage' }]);

  const listing = await listDeadLetters(port, DLQ, 10);

  expect(listing.letters[0]?.purchaseId).toBeUndefined();
});

test('redrive sends each message to the purchase queue before deleting it from the dead-letter queue', async () => {
  const { port, queues, calls } = fakeQueues([message(1), message(2)]);
  const progress: number[] = [];

  const summary = await moveDeadLetters(port, { sourceUrl: SOURCE, deadLetterUrl: DLQ }, 100, (_letter, moved) => progress.push(moved));

  expect(summary).toEqual({ moved: 2, returned: 0 });
  expect(progress).toEqual([1, 2]);
  expect(calls).toEqual(['receive 2', 'send m1', 'delete', 'send m2', 'delete', 'receive 0']);
  expect(queues.get(SOURCE)?.map((m) => m.messageId)).toEqual(['m1', 'm2']);
  expect(queues.get(DLQ)).toHaveLength(0);
});

test('redrive moves at most --max messages', async () => {
  const { port, queues } = fakeQueues(Array.from({ length: 5 }, (_, i) => message(i)));

  const summary = await moveDeadLetters(port, { sourceUrl: SOURCE, deadLetterUrl: DLQ }, 3, () => undefined);

  expect(summary.moved).toBe(3);
  expect(queues.get(DLQ)).toHaveLength(2);
});

test('redrive stops when a purchase it moved comes back, instead of looping', async () => {
  const { port } = fakeQueues([message(1), message(2, 'purchase-0001')]);

  const summary = await moveDeadLetters(port, { sourceUrl: SOURCE, deadLetterUrl: DLQ }, 100, () => undefined);

  expect(summary).toEqual({ moved: 1, returned: 1 });
});

test('a failed send leaves the message in the dead-letter queue and fails the command', async () => {
  const { port, queues } = fakeQueues([message(1), message(2)]);
  port.send = async () => {
    throw new Error('access denied');
  };

  await expect(moveDeadLetters(port, { sourceUrl: SOURCE, deadLetterUrl: DLQ }, 100, () => undefined)).rejects.toThrow(CommandFailedError);
  expect(queues.get(DLQ)).toHaveLength(2);
  expect(queues.get(SOURCE)).toHaveLength(0);
});

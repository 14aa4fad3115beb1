import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { FunctionError, type FunctionInvoker } from '#local/ports';
import { startEventSourcePoller, type EventSourceMapping, type EventSourcePoller } from '#local/sqs/event-source-poller';
import { eventually } from '#test/support/eventually';

const QUEUE = { url: 'http://127.0.0.1:4566/000000000000/purchases', arn: 'arn:aws:sqs:us-east-1:000000000000:purchases' };
const sqsMock = mockClient(SQSClient);

const messages = (...ids: string[]): Message[] => ids.map((id) => ({ MessageId: id, ReceiptHandle: `rh-${id}`, Body: `body-${id}`, MD5OfBody: 'md5' }));

describe('the SQS event source poller', () => {
  let pending: Message[][];
  let invocations: SQSEvent[];
  let poller: EventSourcePoller | undefined;

  beforeEach(() => {
    sqsMock.reset();
    pending = [];
    invocations = [];
    // Each receive takes the next prepared batch, or waits a little and finds nothing, as a long poll would.
    sqsMock.on(ReceiveMessageCommand).callsFake(async () => {
      const next = pending.shift();
      if (next) return { Messages: next };
      await new Promise((resolveWait) => setTimeout(resolveWait, 5));
      return {};
    });
    sqsMock.on(DeleteMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  });

  afterEach(async () => {
    await poller?.stop();
    poller = undefined;
  });

  const start = (mapping: Partial<EventSourceMapping>, respond: (event: SQSEvent) => Promise<unknown>, redeliver?: () => boolean) => {
    const invoker: FunctionInvoker = {
      invoke: async (_functionName, event) => {
        invocations.push(event as SQSEvent);
        return respond(event as SQSEvent);
      },
    };
    poller = startEventSourcePoller({
      mapping: { functionName: 'StartPurchaseFunction', maximumConcurrency: 2, ...mapping },
      queue: QUEUE,
      client: new SQSClient({ region: 'us-east-1' }),
      invoker,
      log: () => undefined,
      ...(redeliver && { redeliver }),
    });
    return poller;
  };

  const deletedReceiptHandles = () =>
    sqsMock.commandCalls(DeleteMessageBatchCommand).flatMap((call) => (call.args[0].input.Entries ?? []).map((entry) => entry.ReceiptHandle));

  it('deletes every message of a batch the function handled', async () => {
    // Prepare
    pending.push(messages('m-1', 'm-2', 'm-3'));

    // Act
    const running = start({}, async () => undefined);
    await eventually(deletedReceiptHandles, (handles) => handles.length === 3, { what: 'the batch to be deleted' });
    await running.stop();

    // Assess
    expect(deletedReceiptHandles().sort()).toEqual(['rh-m-1', 'rh-m-2', 'rh-m-3']);
  });

  it('hands a batch to the function a second time when told to redeliver it, and deletes it once', async () => {
    // Prepare
    pending.push(messages('m-1', 'm-2'));

    // Act
    const running = start({}, async () => undefined, () => true);
    await eventually(deletedReceiptHandles, (handles) => handles.length === 2, { what: 'the batch to be deleted' });
    await running.stop();

    // Assess
    expect(invocations.map((event) => event.Records.map((record) => record.messageId))).toEqual([
      ['m-1', 'm-2'],
      ['m-1', 'm-2'],
    ]);
    expect(deletedReceiptHandles().sort()).toEqual(['rh-m-1', 'rh-m-2']);
  });

  it('deletes nothing when the function fails, leaving the batch to come back', async () => {
    // Prepare
    pending.push(messages('m-1', 'm-2'));

    // Act
    const running = start({ reportBatchItemFailures: true }, async () => {
      throw new FunctionError('Error', 'database unavailable');
    });
    await eventually(() => invocations.length, (count) => count === 1, { what: 'the invocation' });
    await running.stop();

    // Assess
    expect(deletedReceiptHandles()).toEqual([]);
  });

  it('deletes all but the messages the function reported as failed', async () => {
    // Prepare
    pending.push(messages('m-1', 'm-2', 'm-3'));

    // Act
    const running = start({ reportBatchItemFailures: true }, async () => ({ batchItemFailures: [{ itemIdentifier: 'm-2' }] }));
    await eventually(() => invocations.length, (count) => count === 1, { what: 'the invocation' });
    await running.stop();

    // Assess
    expect(deletedReceiptHandles().sort()).toEqual(['rh-m-1', 'rh-m-3']);
  });

  it('ignores batchItemFailures when the mapping does not report batch item failures', async () => {
    // Prepare
    pending.push(messages('m-1', 'm-2'));

    // Act
    const running = start({ reportBatchItemFailures: false }, async () => ({ batchItemFailures: [{ itemIdentifier: 'm-2' }] }));
    await eventually(() => invocations.length, (count) => count === 1, { what: 'the invocation' });
    await running.stop();

    // Assess
    expect(deletedReceiptHandles().sort()).toEqual(['rh-m-1', 'rh-m-2']);
  });

  it('runs at most maximumConcurrency batches at once', async () => {
    // Prepare
    pending.push(...['a', 'b', 'c', 'd', 'e'].map((id) => messages(id)));
    let inFlight = 0;
    let mostInFlight = 0;

    // Act
    const running = start({ maximumConcurrency: 2 }, async () => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await new Promise((resolveWork) => setTimeout(resolveWork, 20));
      inFlight -= 1;
    });
    await eventually(() => invocations.length, (count) => count === 5, { what: 'every batch' });
    await running.stop();

    // Assess
    expect(mostInFlight).toBe(2);
  });

  it('gathers batches larger than one receive can return', async () => {
    // Prepare
    const ids = Array.from({ length: 15 }, (_, index) => `m-${index}`);
    pending.push(messages(...ids.slice(0, 10)), messages(...ids.slice(10)));

    // Act
    const running = start({ batchSize: 15, maximumConcurrency: 1 }, async () => undefined);
    await eventually(() => invocations.length, (count) => count === 1, { what: 'the invocation' });
    await running.stop();

    // Assess
    expect(invocations[0]?.Records.map((record) => record.messageId)).toEqual(ids);
  });

  it('stops with the batch in flight finished and its messages deleted', async () => {
    // Prepare
    pending.push(messages('m-1'));
    let finish: () => void = () => undefined;
    const running = start({}, () => new Promise<void>((resolveInvocation) => (finish = resolveInvocation)));
    await eventually(() => invocations.length, (count) => count === 1, { what: 'the invocation' });

    // Act
    const stopping = running.stop();
    finish();
    await stopping;

    // Assess
    expect(deletedReceiptHandles()).toEqual(['rh-m-1']);
  });
});

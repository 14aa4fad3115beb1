import { ChangeMessageVisibilityBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '#tools/dlq';
import { bufferedIo, writeRuntimeFile } from './ops/support.ts';

const sqs = mockClient(SQSClient);

beforeEach(() => sqs.reset());

test.each([
  ['no action', []],
  ['an unknown action', ['purge']],
  ['a max of 0', ['redrive', '--max', '0']],
  ['an extra argument', ['list', 'all']],
  ['an unknown flag', ['list', '--all']],
])('%s is a usage error that touches no queue', async (_case, argv) => {
  const out = bufferedIo();

  await expect(main(argv, out.io)).resolves.toBe(2);
  expect(out.stderr()).toContain('Usage: npm run dlq');
  expect(sqs.calls()).toHaveLength(0);
});

test('list shows the dead letters and hands them back', async () => {
  sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '1' } });
  sqs
    .on(ReceiveMessageCommand)
    .resolvesOnce({
      Messages: [{ MessageId: 'm1', ReceiptHandle: 'h1', Body: '{"purchaseId":"purchase-a-0001"}', Attributes: { ApproximateReceiveCount: '6', SentTimestamp: '1795694580000' } }],
    })
    .resolves({});
  sqs.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [{ Id: '0' }] });
  const out = bufferedIo();

  const code = await main(['list', '--runtime-file', writeRuntimeFile()], out.io);

  expect(code).toBe(0);
  expect(out.stdout()).toMatch(/^purchase-a-0001 +6 +2026-11-26T\S+ +m1$/m);
  expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand)[0]?.args[0].input.Entries).toEqual([{ Id: '0', ReceiptHandle: 'h1', VisibilityTimeout: 0 }]);
});

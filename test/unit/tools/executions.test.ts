import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '#tools/executions';
import { bufferedIo, writeRuntimeFile } from './ops/support.ts';

const sfn = mockClient(SFNClient);

beforeEach(() => sfn.reset());

test.each([
  ['an unknown status', ['--status', 'BROKEN']],
  ['a time that is not one', ['--since', 'yesterday']],
  ['a time in the future', ['--since', '2999-01-01T00:00:00Z']],
  ['a limit of 0', ['--limit', '0']],
  ['a limit that is not a number', ['--limit', 'ten']],
  ['a positional argument', ['FAILED']],
  ['an unknown flag', ['--sort', 'asc']],
])('%s is a usage error', async (_case, argv) => {
  const out = bufferedIo();

  await expect(main(argv, out.io)).resolves.toBe(2);
  expect(out.stderr()).toContain('Usage: npm run executions');
  expect(sfn.calls()).toHaveLength(0);
});

test('lists the executions of the given status since the given time, one line each', async () => {
  sfn.on(ListExecutionsCommand).resolves({
    executions: [
      {
        executionArn: 'arn:aws:states:us-east-1:000000000000:execution:PurchaseSaga:purchase-ok-0001',
        stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:PurchaseSaga',
        name: 'purchase-ok-0001',
        status: 'SUCCEEDED',
        startDate: new Date(Date.now() - 60_000),
        stopDate: new Date(Date.now() - 58_800),
      },
    ],
  });
  const out = bufferedIo();

  const code = await main(['--status', 'SUCCEEDED', '--since', '1h', '--runtime-file', writeRuntimeFile()], out.io);

  expect(code).toBe(0);
  expect(sfn.commandCalls(ListExecutionsCommand)[0]?.args[0].input).toMatchObject({ statusFilter: 'SUCCEEDED', maxResults: 50 });
  expect(out.stdout()).toMatch(/^purchase-ok-0001 +SUCCEEDED +\S+ +1\.2 s +-$/m);
});

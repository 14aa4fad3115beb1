import { resolve } from 'node:path';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DescribeExecutionCommand, ExecutionDoesNotExist, GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { z } from 'zod';
import { main } from '#tools/inspect';
import { HISTORY_FIXTURES, loadHistory } from './ops/history-fixtures.ts';
import { bufferedIo, writeRuntimeFile } from './ops/support.ts';

const sfn = mockClient(SFNClient);
const documents = mockClient(DynamoDBDocumentClient);
const { purchaseId } = HISTORY_FIXTURES.paymentDeclined;

beforeEach(() => {
  sfn.reset();
  documents.reset();
});

test.each([
  ['no purchaseId', []],
  ['an unknown flag', [purchaseId, '--verbose']],
  ['two ids', [purchaseId, purchaseId]],
  ['a malformed id', ['../etc/passwd']],
  ['--target aws without --outputs', [purchaseId, '--target', 'aws']],
  ['an unknown target', [purchaseId, '--target', 'mars']],
])('%s is a usage error: exit 2, usage on stderr, nothing read', async (_case, argv) => {
  const out = bufferedIo();

  const code = await main(argv, out.io);

  expect(code).toBe(2);
  expect(out.stderr()).toContain('Usage: npm run inspect -- <purchaseId>');
  expect(out.stdout()).toBe('');
  expect(sfn.calls()).toHaveLength(0);
});

test('--help prints the usage on stdout', async () => {
  const out = bufferedIo();

  await expect(main(['--help'], out.io)).resolves.toBe(0);
  expect(out.stdout()).toContain('no API reads an EventBridge archive');
});

test('without a running local runtime it says how to start one', async () => {
  const out = bufferedIo();

  const code = await main([purchaseId, '--runtime-file', '/nonexistent/runtime.json'], out.io);

  expect(code).toBe(1);
  expect(out.stderr()).toContain('the local runtime is not running: start it with npm start');
});

test('an unknown purchase says so and exits 1', async () => {
  sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} }));
  documents.on(GetCommand).resolves({});
  const out = bufferedIo();

  const code = await main([purchaseId, '--runtime-file', writeRuntimeFile()], out.io);

  expect(code).toBe(1);
  expect(out.stderr()).toContain(`unknown purchase ${purchaseId}`);
});

test('--json prints one document with the verdict, without the payment token', async () => {
  sfn.on(DescribeExecutionCommand).resolves({
    executionArn: `arn:aws:states:us-east-1:000000000000:execution:PurchaseSaga:${purchaseId}`,
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:PurchaseSaga',
    name: purchaseId,
    status: 'SUCCEEDED',
    output: JSON.stringify({ outcome: 'FAILED', reason: 'PAYMENT_DECLINED', failedStep: 'ChargePayment' }),
    startDate: new Date('2026-11-26T12:03:00.100Z'),
    stopDate: new Date('2026-11-26T12:03:01.000Z'),
  });
  sfn.on(GetExecutionHistoryCommand).callsFake(() => ({ events: loadHistory('paymentDeclined') }));
  documents.on(GetCommand).resolves({ Item: { purchaseId, status: 'FAILED', paymentToken: 'tok_decline', paymentRef: 'tok_…line' } });
  const out = bufferedIo();

  const code = await main([purchaseId, '--json', '--runtime-file', writeRuntimeFile()], out.io);

  expect(code).toBe(0);
  const document = z
    .object({ verdict: z.string(), outcome: z.object({ outcome: z.string() }), purchase: z.object({ record: z.record(z.string(), z.unknown()) }) })
    .parse(JSON.parse(out.stdout()));
  expect(document.verdict).toBe('FAILED at ChargePayment: PaymentDeclined; seats released 12:03:00');
  expect(document.outcome.outcome).toBe('FAILED');
  expect(out.stdout()).not.toContain('tok_decline');
});

test.each([
  ['still holds the token', { paymentToken: 'tok_decline' }, /^ {2}payment +tok_…line$/m],
  ['no longer holds the token', {}, /^ {2}payment +tok_…line \(token removed\)$/m],
])('the report shows the masked payment reference, and whether the record %s', async (_case, token, line) => {
  // Arrange
  sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} }));
  documents.on(GetCommand).resolves({ Item: { purchaseId, status: 'FAILED', paymentRef: 'tok_…line', ...token } });
  const out = bufferedIo();

  // Act
  const code = await main([purchaseId, '--runtime-file', writeRuntimeFile()], out.io);

  // Assess
  expect(code).toBe(0);
  expect(out.stdout()).toMatch(line);
  expect(out.stdout()).not.toContain('tok_decline');
});

test('the report of an execution that needs a person ends with what to do', async () => {
  const { purchaseId: stoppedId } = HISTORY_FIXTURES.refundGaveUp;
  sfn.on(DescribeExecutionCommand).resolves({
    executionArn: `arn:aws:states:us-east-1:000000000000:execution:PurchaseSaga:${stoppedId}`,
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:PurchaseSaga',
    name: stoppedId,
    status: 'FAILED',
    error: 'DependencyUnavailable',
    startDate: new Date('2026-11-26T12:03:00.100Z'),
    stopDate: new Date('2026-11-26T12:09:30.692Z'),
  });
  sfn.on(GetExecutionHistoryCommand).callsFake(() => ({ events: loadHistory('refundGaveUp') }));
  documents.on(GetCommand).resolves({});
  const out = bufferedIo();

  const code = await main([stoppedId, '--runtime-file', writeRuntimeFile()], out.io);

  expect(code).toBe(0);
  expect(out.stdout().trimEnd().split('\n').at(-1)).toBe(
    'Verdict: FAILED in RefundPayment after its retries (DependencyUnavailable): the charge is not refunded yet; ' +
      `went wrong first at ChargePayment (PaymentProviderUnavailable); needs a person — fix the cause, then npm run redrive -- ${stoppedId}`,
  );
});

test('--target aws reads the outputs file of npx cdk deploy: the execution of the stack\'s state machine, the record of its purchases table, in its region', async () => {
  // Prepare
  const outputsFile = resolve(__dirname, 'fixtures', 'cdk-outputs.json');
  const deployedMachine = 'arn:aws:states:eu-west-1:123456789012:stateMachine:PurchaseSagaE1A2B3C4-AbCdEfGh';
  sfn.on(DescribeExecutionCommand).resolves({
    executionArn: `${deployedMachine.replace(':stateMachine:', ':execution:')}:${purchaseId}`,
    stateMachineArn: deployedMachine,
    name: purchaseId,
    status: 'SUCCEEDED',
    output: JSON.stringify({ outcome: 'FAILED', reason: 'PAYMENT_DECLINED', failedStep: 'ChargePayment' }),
    startDate: new Date('2026-11-26T12:03:00.100Z'),
    stopDate: new Date('2026-11-26T12:03:01.000Z'),
  });
  sfn.on(GetExecutionHistoryCommand).callsFake(() => ({ events: loadHistory('paymentDeclined') }));
  documents.on(GetCommand).resolves({ Item: { purchaseId, status: 'FAILED' } });
  const out = bufferedIo();

  // Act
  const code = await main([purchaseId, '--target', 'aws', '--outputs', outputsFile], out.io);

  // Assess
  expect(code).toBe(0);
  expect(sfn.commandCalls(DescribeExecutionCommand)[0]?.args[0].input.executionArn).toBe(`arn:aws:states:eu-west-1:123456789012:execution:PurchaseSagaE1A2B3C4-AbCdEfGh:${purchaseId}`);
  expect(documents.commandCalls(GetCommand)[0]?.args[0].input.TableName).toBe('Ticketing-TablesPurchases1A2B3C4D-ABCDEFGHIJKL');
  expect(await sfn.call(0).thisValue.config.region()).toBe('eu-west-1');
  expect(out.stdout()).toContain('FAILED at ChargePayment: PaymentDeclined');
});

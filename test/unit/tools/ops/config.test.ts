import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STACK_OUTPUTS, TABLE_NAME_OUTPUTS } from '#infra/outputs';
import { archiveArnOf, loadAwsConfig, loadLocalConfig, OpsConfigError, STACK_OUTPUT_NAMES, writeLocalRuntimeFile } from '#tools/ops/config';
import { LOCAL_OUTPUTS, localRuntime, writeRuntimeFile } from './support.ts';

const alive = () => true;

const writeOutputsFile = (content: unknown): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'ops-outputs-')), 'outputs.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
};

const AWS_OUTPUTS = {
  ...LOCAL_OUTPUTS,
  StateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:PurchaseSaga',
  PurchaseQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/purchase-queue',
};

test('without a runtime file the local runtime is not running, and the message says how to start it', () => {
  expect(() => loadLocalConfig('/nonexistent/.local/runtime.json', alive)).toThrow('the local runtime is not running: start it with npm start');
});

test('a runtime file whose process has exited is stale', () => {
  const file = writeRuntimeFile(localRuntime({ pid: 999_999 }));

  expect(() => loadLocalConfig(file, () => false)).toThrow(/the local runtime is not running: start it with npm start .*999999/);
});

test('a runtime file that does not follow the schema names what is wrong', () => {
  const file = writeRuntimeFile({ ...localRuntime(), endpoints: { sqs: 'not a url' } });

  expect(() => loadLocalConfig(file, alive)).toThrow(/endpoints/);
});

test('the local configuration takes endpoints and outputs from the runtime file, and its archive relative to it', () => {
  const file = writeRuntimeFile(localRuntime({ archiveFile: 'eventbridge/archive.jsonl' }));

  const config = loadLocalConfig(file, alive);

  expect(config).toMatchObject({ target: 'local', region: 'us-east-1', outputs: LOCAL_OUTPUTS, archiveFile: join(file, '..', 'eventbridge', 'archive.jsonl') });
});

test('the AWS configuration takes the stack outputs from the cdk outputs file, and the region from its ARNs', () => {
  const config = loadAwsConfig(writeOutputsFile({ Ticketing: AWS_OUTPUTS }));

  expect(config).toEqual({ target: 'aws', region: 'eu-west-1', stackName: 'Ticketing', outputs: AWS_OUTPUTS });
});

test('a stack without the needed outputs is named with what it lacks', () => {
  const { EventBusArn: _dropped, ...incomplete } = AWS_OUTPUTS;

  expect(() => loadAwsConfig(writeOutputsFile({ Ticketing: incomplete, Other: { Url: 'x' } }))).toThrow(/Ticketing lacks EventBusArn/);
});

test('an outputs file with two ticketing stacks is ambiguous', () => {
  expect(() => loadAwsConfig(writeOutputsFile({ Ticketing: AWS_OUTPUTS, TicketingCopy: AWS_OUTPUTS }))).toThrow(OpsConfigError);
});

test('every output the tools read is one the stack declares, but the optional ArchiveArn', () => {
  const declared = new Set<string>([...Object.values(STACK_OUTPUTS), ...Object.values(TABLE_NAME_OUTPUTS)]);

  expect(STACK_OUTPUT_NAMES.filter((name) => !declared.has(name))).toEqual(['ArchiveArn']);
});

test('without an ArchiveArn output the archive ARN is derived from the bus ARN, in the same account and region', () => {
  expect(archiveArnOf({ ...AWS_OUTPUTS, EventBusArn: 'arn:aws:events:eu-west-1:123456789012:event-bus/ticketing-bus' })).toBe(
    'arn:aws:events:eu-west-1:123456789012:archive/ticketing-archive',
  );
});

test('what the local runtime writes with writeLocalRuntimeFile is what the tools read', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'ops-write-')), '.local', 'runtime.json');

  writeLocalRuntimeFile(file, localRuntime({ pid: process.pid }));

  expect(loadLocalConfig(file)).toMatchObject({ target: 'local', outputs: LOCAL_OUTPUTS, endpoints: localRuntime().endpoints });
});

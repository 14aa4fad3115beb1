import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from '#tools/lib/command-line';
import type { LocalRuntimeFile, StackOutputs } from '#tools/ops/config';
import type { HistoryEvent } from '#tools/ops/history';
import type { ExecutionDetails, ExecutionsPort, PurchaseLookup, PurchasesPort } from '#tools/ops/ports';

/** Captures what a command writes, for assertions on its output. */
export const bufferedIo = () => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: Io = { stdout: { write: (text: string) => stdout.push(text) }, stderr: { write: (text: string) => stderr.push(text) } };
  return { io, stdout: () => stdout.join(''), stderr: () => stderr.join('') };
};

export const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:PurchaseSaga';

export const LOCAL_OUTPUTS: StackOutputs = {
  StateMachineArn: STATE_MACHINE_ARN,
  EventBusName: 'ticketing-bus',
  EventBusArn: 'arn:aws:events:us-east-1:000000000000:event-bus/ticketing-bus',
  ArchiveName: 'ticketing-archive',
  PurchaseQueueUrl: 'http://127.0.0.1:4566/000000000000/purchase-queue',
  PurchaseDeadLetterQueueUrl: 'http://127.0.0.1:4566/000000000000/purchase-dlq',
  PurchasesTableName: 'purchases',
  SeatsTableName: 'seats',
  SeatAvailabilityTableName: 'seat-availability',
  InvoicesTableName: 'invoices',
  PaymentsTableName: 'payments',
  ConcertsTableName: 'concerts',
  WaitingRoomTableName: 'waiting-room',
};

export const localRuntime = (overrides: Partial<LocalRuntimeFile> = {}): LocalRuntimeFile => ({
  endpoints: {
    dynamodb: 'http://127.0.0.1:8000',
    sqs: 'http://127.0.0.1:4566',
    stepfunctions: 'http://127.0.0.1:8083',
    eventbridge: 'http://127.0.0.1:4010',
    api: 'http://127.0.0.1:3000',
  },
  outputs: LOCAL_OUTPUTS,
  ...overrides,
});

/** A runtime file in a fresh temporary folder; returns its path. */
export const writeRuntimeFile = (content: unknown = localRuntime()): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'ops-runtime-')), 'runtime.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
};

export const execution = (name: string, overrides: Partial<ExecutionDetails> = {}): ExecutionDetails => ({
  name,
  arn: `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${name}`,
  status: 'SUCCEEDED',
  startedAt: new Date('2026-11-26T12:03:00.100Z'),
  stoppedAt: new Date('2026-11-26T12:03:01.300Z'),
  ...overrides,
});

/** Executions in memory, for the command logic (the SDK adapter is tested on its own). */
export const fakeExecutions = (executions: ReadonlyArray<{ details: ExecutionDetails; history?: HistoryEvent[] }>) => {
  const redriven: Array<{ name: string; clientToken: string }> = [];
  const port: ExecutionsPort = {
    describe: async (name) => executions.find((e) => e.details.name === name)?.details,
    history: async (name) => executions.find((e) => e.details.name === name)?.history ?? [],
    list: async ({ status, limit }) =>
      executions
        .map((e) => e.details)
        .filter((details) => status === undefined || details.status === status)
        .slice(0, limit),
    redrive: async (name, clientToken) => {
      redriven.push({ name, clientToken });
      return { redrivenAt: new Date('2026-11-26T13:00:00.000Z') };
    },
  };
  return { port, redriven };
};

export const fakePurchases = (lookups: readonly PurchaseLookup[]): PurchasesPort => ({
  find: async (purchaseId) => lookups.find((lookup) => lookup.record.purchaseId === purchaseId),
});

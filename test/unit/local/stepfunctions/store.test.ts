import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionRecord } from '#local/stepfunctions/execution-record';
import { FileExecutionStore, MemoryExecutionStore, openExecutionStore } from '#local/stepfunctions/store';

const EXECUTION_ARN = 'arn:aws:states:us-east-1:000000000000:execution:Orders:order-1';

const record = (overrides: Partial<ExecutionRecord> = {}): ExecutionRecord => ({
  executionArn: EXECUTION_ARN,
  stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Orders',
  name: 'order-1',
  status: 'RUNNING',
  input: '{"orderId":"o-1"}',
  startDate: 1_700_000_000_000,
  redriveCount: 0,
  ...overrides,
});

describe('FileExecutionStore', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'sfn-store-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('gives a new instance on the same folder the executions and histories of the previous one', async () => {
    // Prepare
    const first = await FileExecutionStore.open(directory);
    first.save(record());
    const history = first.createHistory(EXECUTION_ARN);
    history.append({ type: 'ExecutionStarted', executionStartedEventDetails: { input: '{}' } });
    history.append({ type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Work', input: '{}' } });
    first.save(record({ status: 'SUCCEEDED', output: '{}', stopDate: 1_700_000_001_000 }));
    await first.flush();

    // Act
    const second = await FileExecutionStore.open(directory);

    // Assess
    expect(second.get(EXECUTION_ARN)).toEqual(record({ status: 'SUCCEEDED', output: '{}', stopDate: 1_700_000_001_000 }));
    expect(await second.readHistory(EXECUTION_ARN)).toEqual(history.events);
  });

  it('compacts executions.jsonl to the last snapshot of each execution when it opens', async () => {
    // Prepare
    const first = await FileExecutionStore.open(directory);
    first.save(record());
    first.save(record({ status: 'FAILED', error: 'Boom', stopDate: 1_700_000_001_000 }));
    await first.flush();

    // Act
    await FileExecutionStore.open(directory);

    // Assess
    const lines = (await readFile(join(directory, 'executions.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual([record({ status: 'FAILED', error: 'Boom', stopDate: 1_700_000_001_000 })]);
  });

  it('drops a history line torn by a crash and appends the next event on a line of its own', async () => {
    // Prepare
    const first = await FileExecutionStore.open(directory);
    first.save(record());
    first.createHistory(EXECUTION_ARN).append({ type: 'ExecutionStarted', executionStartedEventDetails: { input: '{}' } });
    await first.flush();
    await appendFile(join(directory, 'histories', 'Orders', 'order-1.jsonl'), '{"id":2,"previousEv');
    const second = await FileExecutionStore.open(directory);

    // Act
    const history = await second.openHistory(EXECUTION_ARN);
    history.append({ type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Work', input: '{}' } });
    await second.flush();
    second.release(EXECUTION_ARN);

    // Assess
    const events = await (await FileExecutionStore.open(directory)).readHistory(EXECUTION_ARN);
    expect(events.map(({ id, previousEventId, type }) => ({ id, previousEventId, type }))).toEqual([
      { id: 1, previousEventId: 0, type: 'ExecutionStarted' },
      { id: 2, previousEventId: 1, type: 'TaskStateEntered' },
    ]);
  });

  it('reads a released history back from its file', async () => {
    // Prepare
    const store = await FileExecutionStore.open(directory);
    store.save(record());
    store.createHistory(EXECUTION_ARN).append({ type: 'ExecutionStarted', executionStartedEventDetails: { input: '{}' } });

    // Act
    store.release(EXECUTION_ARN);
    const events = await store.readHistory(EXECUTION_ARN);

    // Assess
    expect(events.map((event) => event.type)).toEqual(['ExecutionStarted']);
  });
});

describe('openExecutionStore', () => {
  it('keeps everything in memory when no folder is given', async () => {
    // Prepare
    const store = await openExecutionStore();

    // Act
    store.save(record());
    store.createHistory(EXECUTION_ARN).append({ type: 'ExecutionStarted', executionStartedEventDetails: { input: '{}' } });

    // Assess
    expect(store.get(EXECUTION_ARN)).toEqual(record());
    expect(await store.readHistory(EXECUTION_ARN)).toHaveLength(1);
  });
});

describe('MemoryExecutionStore', () => {
  it('reads a released history back exactly as it was recorded', async () => {
    // Prepare
    const store = new MemoryExecutionStore();
    store.save(record());
    const history = store.createHistory(EXECUTION_ARN);
    history.append({ type: 'ExecutionStarted', executionStartedEventDetails: { input: '{"seats":["A-1"]}' } });
    history.append({ type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Work', input: '{}' } });
    const recorded = structuredClone(history.events);

    // Act
    store.release(EXECUTION_ARN);
    const events = await store.readHistory(EXECUTION_ARN);

    // Assess
    expect(events).toEqual(recorded);
  });

  it('appends a redrive to the history the execution had before it was released', async () => {
    // Prepare
    const store = new MemoryExecutionStore();
    store.createHistory(EXECUTION_ARN).append({ type: 'ExecutionStarted', executionStartedEventDetails: { input: '{}' } });
    store.release(EXECUTION_ARN);

    // Act
    (await store.openHistory(EXECUTION_ARN)).append({ type: 'ExecutionRedriven', executionRedrivenEventDetails: { redriveCount: 1 } });

    // Assess
    const events = await store.readHistory(EXECUTION_ARN);
    expect(events.map(({ id, previousEventId, type }) => ({ id, previousEventId, type }))).toEqual([
      { id: 1, previousEventId: 0, type: 'ExecutionStarted' },
      { id: 2, previousEventId: 1, type: 'ExecutionRedriven' },
    ]);
  });
});

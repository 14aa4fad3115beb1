import { countExecution, groupByPath } from '#tools/cost/count-executions';
import { CLOUDWATCH_EVENT_OVERHEAD_BYTES, countFunctionLogs } from '#tools/cost/count-function-logs';
import type { HistoryEvent } from '#tools/ops/history';

const at = (seconds: number) => new Date(Date.UTC(2026, 11, 7, 12, 0, seconds));

/** A history with one retried step: ReserveSeats, then ChargePayment twice, then the end. */
const retriedHistory: HistoryEvent[] = [
  { id: 1, timestamp: at(0), type: 'ExecutionStarted' },
  { id: 2, timestamp: at(0), type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'ReserveSeats' } },
  { id: 3, timestamp: at(0), type: 'TaskScheduled' },
  { id: 4, timestamp: at(1), type: 'TaskSucceeded' },
  { id: 5, timestamp: at(1), type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'ChargePayment' } },
  { id: 6, timestamp: at(1), type: 'TaskScheduled' },
  { id: 7, timestamp: at(2), type: 'TaskFailed' },
  { id: 8, timestamp: at(3), type: 'TaskScheduled' },
  { id: 9, timestamp: at(3), type: 'TaskSucceeded' },
  { id: 10, timestamp: at(3), type: 'SucceedStateEntered', stateEnteredEventDetails: { name: 'PurchaseConfirmed' } },
  { id: 11, timestamp: at(4), type: 'ExecutionSucceeded' },
];

describe('counting an execution history', () => {
  it('bills a transition for every state entered and every retry', () => {
    // Act
    const counts = countExecution(retriedHistory, 'arn:aws:states:us-east-1:123456789012:execution:saga:p-1');

    // Assess
    expect(counts).toMatchObject({ path: ['ReserveSeats', 'ChargePayment', 'PurchaseConfirmed'], transitions: 4, retries: 1, taskAttempts: 3, durationMs: 4_000 });
  });

  it('sizes the execution log as one CloudWatch record per event, each with its metadata', () => {
    // Act
    const short = countExecution(retriedHistory, 'a');
    const long = countExecution(retriedHistory, 'aaaaaaaaaaa');

    // Assess
    expect(long.logBytes - short.logBytes).toBe(10 * retriedHistory.length);
    expect(short.logBytes).toBeGreaterThan(retriedHistory.length * CLOUDWATCH_EVENT_OVERHEAD_BYTES);
  });

  it('adds up the executions of one outcome and path, the most frequent first', () => {
    // Prepare
    const counts = countExecution(retriedHistory, 'a');

    // Act
    const paths = groupByPath([
      { outcome: 'PurchaseFailed', counts: { ...counts, path: ['ReserveSeats', 'PurchaseFailed'] } },
      { outcome: 'PurchaseConfirmed', counts },
      { outcome: 'PurchaseConfirmed', counts },
    ]);

    // Assess
    expect(paths.map((path) => [path.outcome, path.executions, path.transitions])).toEqual([
      ['PurchaseConfirmed', 2, 8],
      ['PurchaseFailed', 1, 4],
    ]);
  });
});

describe('counting function logs', () => {
  it('counts an invocation a REPORT line, its duration rounded up to the millisecond, and every line\'s bytes', () => {
    // Prepare
    const lines = [
      { functionName: 'Starter', message: 'START RequestId: r1 Version: $LATEST' },
      { functionName: 'Starter', message: 'REPORT RequestId: r1\tDuration: 12.20 ms\tMemory Size: 512 MB\tStatus: success' },
      { functionName: 'Starter', message: 'REPORT RequestId: r2\tDuration: 3.00 ms\tMemory Size: 512 MB\tStatus: success' },
    ];

    // Act
    const [starter] = countFunctionLogs(lines);

    // Assess
    expect(starter).toEqual({
      logicalId: 'Starter',
      invocations: 2,
      billedMs: 16,
      logBytes: lines.reduce((sum, line) => sum + Buffer.byteLength(line.message) + CLOUDWATCH_EVENT_OVERHEAD_BYTES, 0),
    });
  });
});

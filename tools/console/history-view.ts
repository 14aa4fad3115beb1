import { attemptFailureOf, describeStepError, toStepError, type HistoryEvent } from '#tools/ops/history';
import { maskJsonText, maskText } from './masking.ts';

/** One execution history event as the console lists it, every payload masked. */
export interface HistoryRow {
  readonly id: number;
  readonly time: string;
  /** Milliseconds since the execution started. */
  readonly elapsedMs: number;
  readonly type: string;
  /** The state the event belongs to: its own name for entered/exited, the running state for task events. */
  readonly state?: string;
  /** "PaymentDeclined: The payment was declined" for failures. */
  readonly error?: string;
  /** Masked, pretty-printed JSON (or masked text): input, parameters, output, cause. */
  readonly data: ReadonlyArray<{ readonly label: string; readonly text: string }>;
}

const ENTERED = /StateEntered$/;
const EXECUTION_ENDS = new Set(['ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted']);

const payloadsOf = (event: HistoryEvent): Array<{ label: string; text: string | undefined }> => [
  { label: 'input', text: event.executionStartedEventDetails?.input ?? event.stateEnteredEventDetails?.input ?? event.lambdaFunctionScheduledEventDetails?.input },
  { label: 'parameters', text: event.taskScheduledEventDetails?.parameters },
  {
    label: 'output',
    text:
      event.stateExitedEventDetails?.output ??
      event.taskSucceededEventDetails?.output ??
      event.lambdaFunctionSucceededEventDetails?.output ??
      event.executionSucceededEventDetails?.output,
  },
];

const failureOf = (event: HistoryEvent) => {
  const attempt = attemptFailureOf(event);
  if (attempt) return attempt;
  if (!EXECUTION_ENDS.has(event.type)) return undefined;
  return toStepError(event.executionFailedEventDetails ?? event.executionTimedOutEventDetails ?? event.executionAbortedEventDetails);
};

/**
 * The history in id order. Task events name no state, so they are given the
 * state entered last and not yet exited (the saga has no parallel branches).
 */
export const historyRows = (history: readonly HistoryEvent[]): HistoryRow[] => {
  const events = [...history].sort((a, b) => a.id - b.id);
  const startedAt = events[0]?.timestamp.getTime() ?? 0;
  const open: string[] = [];
  return events.map((event) => {
    const entered = ENTERED.test(event.type) ? event.stateEnteredEventDetails?.name : undefined;
    if (entered) open.push(entered);
    const exited = event.stateExitedEventDetails?.name;
    const state = entered ?? exited ?? open.at(-1);
    const exitedIndex = exited ? open.lastIndexOf(exited) : -1;
    if (exitedIndex >= 0) open.splice(exitedIndex, 1);
    const failure = failureOf(event);
    const data = [
      ...payloadsOf(event).flatMap(({ label, text }) => (text === undefined ? [] : [{ label, text: maskJsonText(text) }])),
      ...(failure?.cause === undefined ? [] : [{ label: 'cause', text: maskJsonText(failure.cause) }]),
    ];
    return {
      id: event.id,
      time: event.timestamp.toISOString(),
      elapsedMs: event.timestamp.getTime() - startedAt,
      type: event.type,
      ...(state ? { state } : {}),
      ...(failure ? { error: maskText(describeStepError(failure)) } : {}),
      data,
    };
  });
};

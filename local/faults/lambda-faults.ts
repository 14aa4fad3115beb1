import { randomUUID } from 'node:crypto';
import { UnknownFaultTargetError } from '#local/lambda/fault-plan';
import type { InvocationFault, InvocationFaultSource } from '#local/lambda/invocation-faults';
import { exitError, throttledError, timeoutError } from '#local/lambda/lambda-errors';
import { FunctionError } from '#local/ports';
import type { LocalFunction } from '#local/template/local-app';
import type { FaultKind } from './chaos-settings.ts';
import type { FaultDraws } from './fault-draws.ts';

/** The error type of the Lambda service's own failure, which the saga retries. */
const SERVICE_EXCEPTION = 'Lambda.ServiceException';
/** How long after the caller's deadline a late answer arrives: enough for the caller's own timer to fire first. */
export const LATE_ANSWER_MARGIN_MS = 1000;
/** A caller that waits longer than this gets no late answer: a chaos run must finish in minutes. */
export const MAX_LATE_ANSWER_WAIT_MS = 5 * 60 * 1000;

/** Lambda kinds drawn for every invocation, in the order they win when several fire. */
const INVOCATION_KINDS = [
  'lambda.errorBeforeHandler',
  'lambda.runtimeExitError',
  'lambda.throttled',
  'lambda.sandboxTimedout',
  'lambda.answerLost',
  'lambda.concurrentDuplicate',
] as const satisfies readonly FaultKind[];

const serviceException = () => new FunctionError(SERVICE_EXCEPTION, 'Fault injected by the local chaos settings');

export interface LambdaFaultOptions {
  readonly draws: FaultDraws;
  readonly functions: readonly LocalFunction[];
  /** Logical ids or names of the functions that get faults. @default all */
  readonly only?: readonly string[] | undefined;
}

/**
 * The Lambda boundary of the chaos settings: a fault source for the
 * function runtime, so every caller (the state machine, the SQS pollers,
 * EventBridge targets, the HTTP API) meets the failures the Lambda service
 * can answer with.
 */
export const lambdaFaults = ({ draws, functions, only }: LambdaFaultOptions): InvocationFaultSource => {
  for (const name of only ?? []) {
    if (!functions.some((fn) => fn.logicalId === name || fn.name === name)) {
      throw new UnknownFaultTargetError(`The chaos settings name the function ${name}, which is not a function of this app`);
    }
  }
  const targeted = (fn: LocalFunction) => !only || only.includes(fn.logicalId) || only.includes(fn.name);

  /** The late answer, for a caller that gives up (a Task with TimeoutSeconds) soon enough to wait for. */
  const lateAnswer = (deadline: number): InvocationFault => {
    const answerAt = deadline + LATE_ANSWER_MARGIN_MS;
    // The handler starts anywhere up to the late answer, so its writes land before or after the caller gave up.
    const startDelayMs = Math.floor(draws.detail('lambda.slowerThanTaskTimeout') * Math.max(answerAt - Date.now(), 0));
    return { kind: 'answerLate', name: 'lambda.slowerThanTaskTimeout', startDelayMs, answerAt };
  };

  return (fn, { callerDeadline }) => {
    if (!targeted(fn)) return undefined;
    const canAnswerLate = callerDeadline !== undefined && callerDeadline - Date.now() <= MAX_LATE_ANSWER_WAIT_MS;
    const kind = canAnswerLate ? draws.draw('lambda.slowerThanTaskTimeout', ...INVOCATION_KINDS) : draws.draw(...INVOCATION_KINDS);
    switch (kind) {
      case undefined:
        return undefined;
      case 'lambda.slowerThanTaskTimeout':
        return callerDeadline === undefined ? undefined : lateAnswer(callerDeadline);
      case 'lambda.errorBeforeHandler':
        return { kind: 'failBeforeHandler', name: kind, error: serviceException() };
      case 'lambda.runtimeExitError':
        return { kind: 'failBeforeHandler', name: kind, error: exitError(randomUUID(), 'Runtime exited without providing a reason (fault injected by the local chaos settings)') };
      case 'lambda.throttled':
        return { kind: 'failBeforeHandler', name: kind, error: throttledError() };
      case 'lambda.sandboxTimedout': {
        const error = timeoutError(randomUUID(), fn.timeoutSeconds);
        return draws.detail(kind) < 0.5 ? { kind: 'failBeforeHandler', name: kind, error } : { kind: 'failAfterHandler', name: kind, error };
      }
      case 'lambda.answerLost':
        return { kind: 'failAfterHandler', name: kind, error: serviceException() };
      case 'lambda.concurrentDuplicate':
        return { kind: 'runTwice', name: kind };
    }
  };
};

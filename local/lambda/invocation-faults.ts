import type { FunctionError, InvocationContext } from '#local/ports';
import type { LocalFunction } from '#local/template/local-app';

/**
 * How one invocation goes wrong, as a fault source decides it (the local
 * chaos settings, local/faults/). The function runtime carries it out, so a
 * fault looks to the caller exactly as the Lambda service's own failure.
 */
export type InvocationFault =
  /** The caller gets the error; the handler does not run. */
  | { readonly kind: 'failBeforeHandler'; readonly name: string; readonly error: FunctionError }
  /** The handler runs to completion, then the caller gets the error instead of its answer. */
  | { readonly kind: 'failAfterHandler'; readonly name: string; readonly error: FunctionError }
  /** The handler starts after `startDelayMs` and its answer is held until `answerAt` (epoch ms). */
  | { readonly kind: 'answerLate'; readonly name: string; readonly startDelayMs: number; readonly answerAt: number }
  /** The handler runs twice at once with the same event; the answer that comes first is returned. */
  | { readonly kind: 'runTwice'; readonly name: string };

/** Decides, per invocation, whether and how it fails. */
export type InvocationFaultSource = (fn: LocalFunction, context: InvocationContext) => InvocationFault | undefined;

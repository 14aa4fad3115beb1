import { z } from 'zod';
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '#local/runtime';

/**
 * The local runtime's seeded chaos settings, as local/faults/chaos-settings.ts
 * declares them. That module is being written alongside this tool; until it
 * is merged, this file mirrors its contract so the tool compiles, and it is
 * the one place to turn into a re-export once it lands.
 */

export const FAULT_KINDS = [
  'lambda.errorBeforeHandler',
  'lambda.answerLost',
  'lambda.sandboxTimedout',
  'lambda.runtimeExitError',
  'lambda.throttled',
  'lambda.slowerThanTaskTimeout',
  'lambda.concurrentDuplicate',
  'sfn.startExecutionThrottled',
  'dynamodb.throttled',
  'dynamodb.transactionConflict',
  'dynamodb.internalError',
  'dynamodb.latency',
  'eventbridge.putEventsFailed',
  'eventbridge.putEventsPartiallyFailed',
  'eventbridge.duplicateDelivery',
  'eventbridge.lateDelivery',
  'sqs.duplicateDelivery',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const chaosSettingsSchema = z.object({
  seed: z.number().int(),
  rates: z.partialRecord(z.enum(FAULT_KINDS), z.number().min(0).max(1)),
  functions: z.array(z.string()).optional(),
});
export type ChaosSettings = z.infer<typeof chaosSettingsSchema>;

/** What the runtime counted, per fault kind: `<dataDir>/chaos/injected.json` and `runtime.injectedFaults()`. */
export const injectedFaultsSchema = z.partialRecord(z.enum(FAULT_KINDS), z.number().int().nonnegative());
export type InjectedFaults = z.infer<typeof injectedFaultsSchema>;

/** Where a runtime with a data folder keeps its cumulative counts, across restarts. */
export const INJECTED_FAULTS_FILE = ['chaos', 'injected.json'] as const;

type ChaosRuntimeOptions = LocalRuntimeOptions & { readonly chaos: ChaosSettings };
type CountingRuntime = LocalRuntime & { readonly injectedFaults?: () => InjectedFaults };

export interface ChaosLocalRuntime {
  readonly runtime: LocalRuntime;
  /** undefined when the runtime does not count injected faults (it predates the chaos settings). */
  injectedFaults(): InjectedFaults | undefined;
}

/** startLocalRuntime({ ...options, chaos }) and its injectedFaults(). */
export const startChaosRuntime = async (options: LocalRuntimeOptions, chaos: ChaosSettings): Promise<ChaosLocalRuntime> => {
  const withChaos: ChaosRuntimeOptions = { ...options, chaos };
  const runtime: CountingRuntime = await startLocalRuntime(withChaos);
  return { runtime, injectedFaults: () => runtime.injectedFaults?.() };
};

import { z } from 'zod';
import { FAULT_KINDS, INJECTED_FAULTS_FILE, startLocalRuntime, type ChaosSettings, type FaultKind, type LocalRuntime, type LocalRuntimeOptions } from '#local/index';

/**
 * The local runtime's seeded chaos settings (local/faults/chaos-settings.ts)
 * as the chaos tool uses them: the settings, and the runtime's own count of
 * what it injected, in this process or in a data folder's file.
 */

export { chaosSettingsSchema, FAULT_KINDS, type ChaosSettings, type FaultKind } from '#local/index';

/** What the runtime counted, per fault kind: `runtime.injectedFaults()` and `<dataDir>/chaos/injected.json`. */
export const injectedFaultsSchema = z.partialRecord(z.enum(FAULT_KINDS), z.number().int().nonnegative());
export type InjectedFaults = Partial<Record<FaultKind, number>>;

/** Where a runtime with a data folder keeps its cumulative counts, across restarts, relative to the folder. */
export const INJECTED_FAULTS_PATH = ['chaos', INJECTED_FAULTS_FILE] as const;

export interface ChaosLocalRuntime {
  readonly runtime: LocalRuntime;
  injectedFaults(): InjectedFaults;
}

/** startLocalRuntime({ ...options, chaos }), with its count of injected faults. */
export const startChaosRuntime = async (options: LocalRuntimeOptions, chaos: ChaosSettings): Promise<ChaosLocalRuntime> => {
  const runtime = await startLocalRuntime({ ...options, chaos });
  return { runtime, injectedFaults: () => runtime.injectedFaults() };
};

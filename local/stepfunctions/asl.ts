import { z } from 'zod';
import type { StateType } from './history-events.ts';

/**
 * The parts of an Amazon States Language definition the local engine reads
 * itself (task resources, timeouts, retriers, nested machines). Everything
 * else passes through untouched to aws-local-stepfunctions, which validates
 * the whole definition.
 */
const STATE_TYPES = ['Task', 'Pass', 'Choice', 'Wait', 'Succeed', 'Fail', 'Map', 'Parallel'] as const satisfies readonly StateType[];

const retrierSchema = z.looseObject({
  ErrorEquals: z.array(z.string()).min(1),
  IntervalSeconds: z.number().min(0).optional(),
  MaxAttempts: z.number().int().min(0).optional(),
  BackoffRate: z.number().min(1).optional(),
  MaxDelaySeconds: z.number().positive().optional(),
  JitterStrategy: z.enum(['FULL', 'NONE']).optional(),
});
export type Retrier = z.infer<typeof retrierSchema>;

export interface AslState {
  readonly Type: StateType;
  readonly Resource?: string | undefined;
  readonly Parameters?: unknown;
  readonly TimeoutSeconds?: number | undefined;
  readonly TimeoutSecondsPath?: string | undefined;
  readonly Retry?: Retrier[] | undefined;
  readonly Error?: string | undefined;
  readonly Cause?: string | undefined;
  readonly Branches?: AslMachine[] | undefined;
  readonly Iterator?: AslMachine | undefined;
  readonly ItemProcessor?: AslMachine | undefined;
  readonly [field: string]: unknown;
}

export interface AslMachine {
  readonly StartAt: string;
  readonly States: Record<string, AslState>;
  readonly TimeoutSeconds?: number | undefined;
  readonly [field: string]: unknown;
}

const stateSchema: z.ZodType<AslState> = z.looseObject({
  Type: z.enum(STATE_TYPES),
  Resource: z.string().optional(),
  Parameters: z.unknown().optional(),
  TimeoutSeconds: z.number().int().min(1).optional(),
  TimeoutSecondsPath: z.string().optional(),
  Retry: z.array(retrierSchema).optional(),
  Error: z.string().optional(),
  Cause: z.string().optional(),
  get Branches() {
    return z.array(machineSchema).optional();
  },
  get Iterator() {
    return machineSchema.optional();
  },
  get ItemProcessor() {
    return machineSchema.optional();
  },
});

export const machineSchema: z.ZodType<AslMachine> = z.looseObject({
  StartAt: z.string().min(1),
  States: z.record(z.string(), z.lazy(() => stateSchema)),
  TimeoutSeconds: z.number().int().min(1).optional(),
});

/** The machines a Map or Parallel state runs inside itself. */
const nestedMachines = (state: AslState): AslMachine[] => [
  ...(state.Branches ?? []),
  ...(state.Iterator ? [state.Iterator] : []),
  ...(state.ItemProcessor ? [state.ItemProcessor] : []),
];

/** Every state of the machine, nested ones included. State names are unique across a whole definition. */
export const allStates = (machine: AslMachine): Array<[name: string, state: AslState]> =>
  Object.entries(machine.States).flatMap(([name, state]) => [
    [name, state] as [string, AslState],
    ...nestedMachines(state).flatMap(allStates),
  ]);

/** Copies a machine, rewriting each state (nested ones included) with `rewrite`. */
export const mapStates = (machine: AslMachine, rewrite: (state: AslState) => AslState): AslMachine => ({
  ...machine,
  States: Object.fromEntries(
    Object.entries(machine.States).map(([name, state]) => {
      const rewritten = rewrite(state);
      return [
        name,
        {
          ...rewritten,
          ...(rewritten.Branches ? { Branches: rewritten.Branches.map((branch) => mapStates(branch, rewrite)) } : {}),
          ...(rewritten.Iterator ? { Iterator: mapStates(rewritten.Iterator, rewrite) } : {}),
          ...(rewritten.ItemProcessor ? { ItemProcessor: mapStates(rewritten.ItemProcessor, rewrite) } : {}),
        },
      ];
    }),
  ),
});

const JSONATA = 'JSONata';
/** Fields aws-local-stepfunctions would silently ignore: JSONata, variables, cross-account credentials, heartbeats, distributed maps. */
const IGNORED_STATE_FIELDS = ['Arguments', 'Output', 'Assign', 'Credentials', 'HeartbeatSeconds', 'HeartbeatSecondsPath', 'ItemReader', 'ResultWriter', 'ItemBatcher', 'ToleratedFailurePercentage', 'ToleratedFailureCount'];

/**
 * What the local engine cannot run as AWS would. Each message names the state,
 * so a definition the engine would execute differently fails at startup
 * instead of behaving differently at run time.
 */
export const unsupportedFeatures = (machine: AslMachine): string[] => {
  const problems: string[] = [];
  if (machine['QueryLanguage'] === JSONATA) problems.push('QueryLanguage JSONata: the local engine evaluates JSONPath only');
  for (const [name, state] of allStates(machine)) {
    if (state['QueryLanguage'] === JSONATA) problems.push(`state "${name}": QueryLanguage JSONata is not supported (JSONPath only)`);
    for (const field of IGNORED_STATE_FIELDS) {
      if (field in state) problems.push(`state "${name}": field ${field} is not supported by the local engine`);
    }
    const processorMode = z.object({ ProcessorConfig: z.object({ Mode: z.string() }) }).safeParse(state.ItemProcessor);
    if (processorMode.success && processorMode.data.ProcessorConfig.Mode === 'DISTRIBUTED') {
      problems.push(`state "${name}": distributed Map is not supported (inline Map only)`);
    }
  }
  return problems;
};

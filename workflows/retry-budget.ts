/**
 * The worst case of a state machine's time: every attempt of every retrier
 * used up, each attempt running to its TimeoutSeconds, each wait at its
 * longest (full jitter only ever shortens a wait). The execution timeout,
 * the hold duration and the charge's hold margin are checked against these
 * figures, so a longer retry budget cannot silently outgrow them.
 */

interface Retrier {
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
}

interface BudgetedState {
  readonly Type: string;
  readonly TimeoutSeconds?: number;
  readonly Retry?: readonly Retrier[];
  readonly Catch?: ReadonlyArray<{ readonly Next: string }>;
  readonly Next?: string;
}

export interface BudgetedDefinition {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, BudgetedState>>;
}

/** ASL's defaults for a retrier's fields. */
const DEFAULT_INTERVAL_SECONDS = 1;
const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_BACKOFF_RATE = 2;

/** The longest total wait of one retrier: every retry, each at its longest delay. */
export const retrierWaitSeconds = (retrier: Retrier): number => {
  const interval = retrier.IntervalSeconds ?? DEFAULT_INTERVAL_SECONDS;
  const rate = retrier.BackoffRate ?? DEFAULT_BACKOFF_RATE;
  let total = 0;
  for (let retry = 0; retry < (retrier.MaxAttempts ?? DEFAULT_MAX_ATTEMPTS); retry++) {
    const delay = interval * rate ** retry;
    total += retrier.MaxDelaySeconds === undefined ? delay : Math.min(delay, retrier.MaxDelaySeconds);
  }
  return total;
};

/** One Task state at its worst: the first attempt and every retry time out, with the longest waits between them. */
export const stateWorstCaseSeconds = (state: BudgetedState): number => {
  if (state.Type !== 'Task') return 0;
  if (state.TimeoutSeconds === undefined) throw new RangeError('a Task without TimeoutSeconds has no worst case');
  const retriers = state.Retry ?? [];
  const attempts = 1 + retriers.reduce((sum, retrier) => sum + (retrier.MaxAttempts ?? DEFAULT_MAX_ATTEMPTS), 0);
  return attempts * state.TimeoutSeconds + retriers.reduce((sum, retrier) => sum + retrierWaitSeconds(retrier), 0);
};

const successorsOf = (state: BudgetedState): string[] => [...(state.Next ? [state.Next] : []), ...(state.Catch ?? []).map((c) => c.Next)];

/** The worst case of the longest path from `from` (default StartAt) to an end, and the states on it. */
export const worstCasePath = (definition: BudgetedDefinition, from = definition.StartAt): { seconds: number; states: string[] } => {
  const memo = new Map<string, { seconds: number; states: string[] }>();
  const visit = (name: string, onPath: ReadonlySet<string>): { seconds: number; states: string[] } => {
    const known = memo.get(name);
    if (known) return known;
    if (onPath.has(name)) throw new RangeError(`the machine loops through ${name}: its worst case is unbounded`);
    const state = definition.States[name];
    if (!state) throw new RangeError(`no state named ${name}`);
    const next = successorsOf(state)
      .map((successor) => visit(successor, new Set([...onPath, name])))
      .reduce<{ seconds: number; states: string[] } | undefined>((longest, path) => (!longest || path.seconds > longest.seconds ? path : longest), undefined) ?? {
      seconds: 0,
      states: [],
    };
    const path = { seconds: stateWorstCaseSeconds(state) + next.seconds, states: [name, ...next.states] };
    memo.set(name, path);
    return path;
  };
  return visit(from, new Set());
};

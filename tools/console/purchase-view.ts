import { lastEntryOf, durationOf, type ExecutionTimeline, type StepOutcome, type TimelineStep } from '#tools/ops/execution-timeline';
import { describeStepError, type HistoryEvent } from '#tools/ops/history';
import { inspectPurchase, type InspectPorts } from '#tools/ops/inspect-purchase';
import type { PersonNeeded } from '#tools/ops/needs-a-person';
import type { ExecutionStatus } from '#tools/ops/ports';
import type { SagaOutcome } from '#tools/ops/saga-outcome';
import { aslDefinitionSchema, layoutStateMachine, type GraphLayout, type GraphOverlay, type StateVisit } from './asl-graph.ts';
import { historyRows, type HistoryRow } from './history-view.ts';
import { maskFields, maskText, maskValue } from './masking.ts';
import type { StateMachinePort } from './state-machine.ts';

/** The purchase page's document: everything support reads about one purchase, masked. */
export interface PurchasePage {
  readonly purchaseId: string;
  readonly verdict: string;
  /** The execution's status, else the purchase record's (QUEUED before the saga starts). */
  readonly status: string;
  /** The page should poll: the execution runs, or the purchase waits in the queue. */
  readonly live: boolean;
  readonly execution?: {
    readonly status: ExecutionStatus;
    readonly startedAt: string;
    readonly stoppedAt?: string;
    readonly durationMs: number;
    readonly error?: string;
    readonly cause?: string;
    readonly redriveCount?: number;
  };
  /** SUCCEEDED: the purchase was confirmed, or rejected with every compensation run. */
  readonly outcome?: SagaOutcome;
  /** FAILED, TIMED_OUT or ABORTED: where it stopped, what that leaves unsettled, what to do (as npm run inspect says it). */
  readonly personNeeded?: PersonNeeded;
  readonly record?: Readonly<Record<string, unknown>>;
  /** Fields of the stored record that did not have the expected shape. */
  readonly recordProblems: readonly string[];
  readonly failure?: { readonly step: string; readonly error?: string };
  readonly compensation: {
    readonly ran: boolean;
    readonly ended: string;
    readonly steps: ReadonlyArray<{
      readonly name: string;
      readonly outcome: StepOutcome;
      readonly at?: string;
      readonly error?: string;
      readonly voided?: boolean;
      readonly refunded?: boolean;
    }>;
  };
  readonly steps: ReadonlyArray<{
    readonly name: string;
    readonly type: string;
    readonly outcome: StepOutcome;
    readonly attempts: number;
    readonly retries: number;
    readonly enteredAt: string;
    readonly durationMs?: number;
    readonly error?: string;
  }>;
  readonly graph?: GraphLayout;
  /** Why the graph is missing (the definition could not be read). */
  readonly graphProblem?: string;
  readonly history: readonly HistoryRow[];
  readonly events: {
    readonly source: 'archive' | 'execution-history';
    readonly location?: string;
    readonly items: ReadonlyArray<{ readonly time: string; readonly detailType: string; readonly source: string; readonly summary: string; readonly detail?: unknown }>;
  };
}

export interface PurchasePorts extends InspectPorts {
  readonly stateMachine: StateMachinePort;
}

const LIVE_STATUSES: ReadonlySet<string> = new Set(['RUNNING', 'PENDING_REDRIVE']);

const visitOf = (step: TimelineStep): StateVisit => {
  const outcome = step.outcome === 'interrupted' ? 'failed' : step.outcome === 'succeeded' && step.retries > 0 ? 'retried' : step.outcome;
  return { outcome, attempts: step.attempts, ...(step.error ? { error: step.error.error } : {}) };
};

/** How the execution went through the machine: the latest entry of each state, and each state-to-state move. */
export const overlayOf = (timeline: ExecutionTimeline | undefined): GraphOverlay => {
  if (!timeline) return { visits: new Map(), transitions: new Set() };
  const names = [...new Set(timeline.steps.map((step) => step.name))];
  const visits = new Map(names.flatMap((name) => {
    const entry = lastEntryOf(timeline, name);
    return entry ? [[name, visitOf(entry)] as const] : [];
  }));
  const transitions = new Set(timeline.steps.slice(1).map((step, index) => `${timeline.steps[index]?.name ?? ''}->${step.name}`));
  return { visits, transitions };
};

const graphOf = async (ports: PurchasePorts, purchaseId: string, hasExecution: boolean, overlay: GraphOverlay) => {
  try {
    const text = (hasExecution ? await ports.stateMachine.definitionForExecution(purchaseId) : undefined) ?? (await ports.stateMachine.definition());
    const parsed = aslDefinitionSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return { graphProblem: 'the state machine definition is not an ASL document the console can draw' };
    return { graph: layoutStateMachine(parsed.data, overlay) };
  } catch (error) {
    return { graphProblem: `the state machine definition could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
};

/** History is read once per page even though the inspection and the history table both need it. */
const readingHistoryOnce = (ports: PurchasePorts) => {
  const reads = new Map<string, Promise<HistoryEvent[]>>();
  const history = (name: string) => {
    const read = reads.get(name) ?? ports.executions.history(name);
    reads.set(name, read);
    return read;
  };
  return { ports: { ...ports, executions: { ...ports.executions, history } }, history };
};

const iso = (date: Date | undefined) => date?.toISOString();

/** Error names come from the functions, like the history's, so they are masked like it. */
const maskedPersonNeeded = ({ error, wentWrongAt, ...rest }: PersonNeeded): PersonNeeded => ({
  ...rest,
  ...(error ? { error: maskText(error) } : {}),
  ...(wentWrongAt ? { wentWrongAt: { step: wentWrongAt.step, ...(wentWrongAt.error ? { error: maskText(wentWrongAt.error) } : {}) } } : {}),
});

/** Undefined when neither a purchase record nor an execution has this id. */
export const purchasePage = async (ports: PurchasePorts, purchaseId: string, now: Date): Promise<PurchasePage | undefined> => {
  const once = readingHistoryOnce(ports);
  const inspection = await inspectPurchase(once.ports, purchaseId, now);
  if (!inspection) return undefined;
  const { execution, timeline, compensation } = inspection;
  const history = execution ? await once.history(purchaseId) : [];
  const overlay = overlayOf(timeline);
  const status = execution?.status ?? inspection.purchase?.record.status ?? 'UNKNOWN';
  const stoppedAt = iso(execution?.stoppedAt);
  return {
    purchaseId,
    verdict: maskText(inspection.verdict),
    status,
    live: LIVE_STATUSES.has(status) || (!execution && status === 'QUEUED'),
    ...(execution
      ? {
          execution: {
            status: execution.status,
            startedAt: execution.startedAt.toISOString(),
            ...(stoppedAt ? { stoppedAt } : {}),
            durationMs: (execution.stoppedAt ?? now).getTime() - execution.startedAt.getTime(),
            ...(execution.error ? { error: maskText(execution.error) } : {}),
            ...(execution.cause ? { cause: maskText(execution.cause) } : {}),
            ...(execution.redriveCount ? { redriveCount: execution.redriveCount } : {}),
          },
        }
      : {}),
    ...(inspection.outcome ? { outcome: inspection.outcome } : {}),
    ...(inspection.personNeeded ? { personNeeded: maskedPersonNeeded(inspection.personNeeded) } : {}),
    ...(inspection.purchase ? { record: maskFields(inspection.purchase.record) } : {}),
    recordProblems: inspection.purchase?.problems ?? [],
    ...(inspection.failure
      ? { failure: { step: inspection.failure.step, ...(inspection.failure.error ? { error: maskText(describeStepError(inspection.failure.error)) } : {}) } }
      : {}),
    compensation: {
      ran: compensation.ran,
      ended: compensation.ended,
      steps: compensation.steps.map((step) => ({
        name: step.name,
        outcome: step.outcome,
        ...(step.at ? { at: step.at.toISOString() } : {}),
        ...(step.error ? { error: maskText(describeStepError(step.error)) } : {}),
        ...(step.voided === undefined ? {} : { voided: step.voided }),
        ...(step.refunded === undefined ? {} : { refunded: step.refunded }),
      })),
    },
    steps: (timeline?.steps ?? []).map((step) => {
      const durationMs = durationOf(step);
      return {
        name: step.name,
        type: step.stateType,
        outcome: step.outcome,
        attempts: step.attempts,
        retries: step.retries,
        enteredAt: step.enteredAt.toISOString(),
        ...(durationMs === undefined ? {} : { durationMs }),
        ...(step.error ? { error: maskText(describeStepError(step.error)) } : {}),
      };
    }),
    ...(await graphOf(ports, purchaseId, execution !== undefined, overlay)),
    history: historyRows(history),
    events: {
      source: inspection.events.source,
      ...(inspection.events.location ? { location: inspection.events.location } : {}),
      items: inspection.events.items.map((item) => ({
        time: item.time.toISOString(),
        detailType: item.detailType,
        source: item.source,
        summary: maskText(item.summary),
        ...(item.detail === undefined ? {} : { detail: maskValue(item.detail) }),
      })),
    },
  };
};

import { OUTCOMES } from '#workflows/purchase-saga';
import { compensationOf, type CompensationReport } from './compensation.ts';
import { buildTimeline, firstFailure, type ExecutionTimeline } from './execution-timeline.ts';
import type { StepError } from './history.ts';
import { personNeededFor, type PersonNeeded } from './needs-a-person.ts';
import type { ArchivePort, ExecutionDetails, ExecutionsPort, PurchaseLookup, PurchasesPort } from './ports.ts';
import { fromArchive, inferFromExecution, type PurchaseEventLine } from './purchase-events.ts';
import type { SagaOutcome } from './saga-outcome.ts';
import { outcomeOfExecution, verdictOf } from './verdict.ts';

export interface InspectPorts {
  readonly executions: ExecutionsPort;
  readonly purchases: PurchasesPort;
  /** Only the local runtime has a readable archive; without it the events are inferred from the execution. */
  readonly archive?: ArchivePort;
}

interface PurchaseEvents {
  /** archive: read from the archive; execution-history: inferred from the steps that succeeded. */
  readonly source: 'archive' | 'execution-history';
  readonly location?: string;
  readonly items: readonly PurchaseEventLine[];
}

export interface Inspection {
  readonly purchaseId: string;
  readonly purchase?: PurchaseLookup;
  readonly execution?: ExecutionDetails;
  readonly timeline?: ExecutionTimeline;
  /** A SUCCEEDED execution's outcome: confirmed, or rejected with every compensation run. */
  readonly outcome?: SagaOutcome;
  /** Where the saga first went wrong (a rejected purchase, or one that stopped). */
  readonly failure?: { readonly step: string; readonly error?: StepError };
  /** A FAILED, TIMED_OUT or ABORTED execution: where it stopped, what is unsettled, what to do. */
  readonly personNeeded?: PersonNeeded;
  readonly compensation: CompensationReport;
  readonly events: PurchaseEvents;
  readonly verdict: string;
}

/**
 * Everything support needs about one purchase, gathered in parallel: its
 * record, its execution and history, its domain events. Undefined when
 * neither a purchase record nor an execution has that id.
 */
export const inspectPurchase = async (ports: InspectPorts, purchaseId: string, now: Date): Promise<Inspection | undefined> => {
  const [purchase, execution, archived] = await Promise.all([
    ports.purchases.find(purchaseId),
    ports.executions.describe(purchaseId),
    ports.archive?.eventsOfPurchase(purchaseId),
  ]);
  if (!purchase && !execution) return undefined;
  const timeline = execution ? buildTimeline(await ports.executions.history(purchaseId)) : undefined;
  const compensation = compensationOf(timeline);
  const outcome = execution?.status === 'SUCCEEDED' ? outcomeOfExecution(execution, timeline) : undefined;
  const personNeeded = execution && personNeededFor(purchaseId, execution, timeline);
  const failed = timeline && outcome?.outcome !== OUTCOMES.confirmed ? firstFailure(timeline) : undefined;
  const events: PurchaseEvents =
    ports.archive && archived
      ? { source: 'archive', location: ports.archive.location, items: fromArchive(archived) }
      : { source: 'execution-history', items: inferFromExecution(purchase?.record, timeline, compensation) };
  return {
    purchaseId,
    ...(purchase ? { purchase } : {}),
    ...(execution ? { execution } : {}),
    ...(timeline ? { timeline } : {}),
    ...(outcome ? { outcome } : {}),
    ...(failed ? { failure: { step: failed.name, ...(failed.error ? { error: failed.error } : {}) } } : {}),
    ...(personNeeded ? { personNeeded } : {}),
    compensation,
    events,
    verdict: verdictOf({ purchaseId, ...(purchase ? { purchase: purchase.record } : {}), ...(execution ? { execution } : {}), ...(timeline ? { timeline } : {}), compensation }, now),
  };
};

import { purchaseIdSchema } from '#events/metadata';
import { listExecutions, statusesOf, type ExecutionFilter, type ExecutionLine } from '#tools/ops/list-executions';
import { needsAPerson } from '#tools/ops/needs-a-person';
import type { ExecutionStatus, ExecutionsPort } from '#tools/ops/ports';
import type { SagaOutcome } from '#tools/ops/saga-outcome';
import { OUTCOMES } from '#workflows/purchase-saga';

export interface ExecutionsQuery {
  /** A status, or NEEDS_A_PERSON: FAILED, TIMED_OUT and ABORTED (the list's "Failed"). */
  readonly filter?: ExecutionFilter;
  /** A whole purchaseId, or a part of one. */
  readonly search?: string;
  readonly limit: number;
}

interface ExecutionRow {
  readonly purchaseId: string;
  readonly status: ExecutionStatus;
  readonly startedAt: string;
  readonly durationMs: number;
  /** SUCCEEDED: the purchase was confirmed, or rejected and compensated. */
  readonly outcome?: SagaOutcome['outcome'];
  /** A rejected purchase: why (PAYMENT_DECLINED, SEATS_UNAVAILABLE...). */
  readonly reason?: string;
  /** FAILED, TIMED_OUT or ABORTED: a step kept failing, and a person must act. */
  readonly needsAPerson: boolean;
  /** Where a rejected purchase failed, where a stopped one stopped, where a running one is. */
  readonly step?: string;
  readonly error?: string;
}

export interface ExecutionsList {
  readonly executions: readonly ExecutionRow[];
  /**
   * How the search was done: by name (a whole purchaseId, found however old
   * it is) or among the latest executions only (a part of one).
   */
  readonly searchedBy?: 'name' | 'latest';
}

const toRow = (line: ExecutionLine): ExecutionRow => {
  const rejected = line.outcome?.outcome === OUTCOMES.failed ? line.outcome : undefined;
  const step = line.step ?? rejected?.failedStep;
  return {
    purchaseId: line.purchaseId,
    status: line.status,
    startedAt: line.startedAt.toISOString(),
    durationMs: line.durationMs,
    ...(line.outcome ? { outcome: line.outcome.outcome } : {}),
    ...(rejected?.reason ? { reason: rejected.reason } : {}),
    needsAPerson: needsAPerson(line.status),
    ...(step ? { step } : {}),
    ...(line.error ? { error: line.error } : {}),
  };
};

/** How many executions a partial search looks through: ListExecutions cannot filter by name. */
const PARTIAL_SEARCH_WINDOW = 200;

/**
 * The list page: newest first, with the outcome of each succeeded execution
 * and the step each other one stopped in (or runs in), as `npm run
 * executions` prints them. A whole
 * purchaseId is looked up by name, so an old execution is found too.
 */
export const executionsList = async (port: ExecutionsPort, { filter, ...rest }: ExecutionsQuery, now: Date): Promise<ExecutionsList> => {
  const statuses = filter ? statusesOf(filter) : undefined;
  const query = { ...rest, ...(statuses ? { statuses } : {}) };
  const search = query.search?.trim();
  if (!search) return { executions: (await listExecutions(port, query, now)).map(toRow) };

  if (purchaseIdSchema.safeParse(search).success) {
    const found = await port.describe(search);
    const matches = found && (statuses === undefined || statuses.includes(found.status)) ? [found] : [];
    const byName: ExecutionsPort = { ...port, list: async () => matches };
    const lines = await listExecutions(byName, { limit: query.limit }, now);
    if (lines.length > 0) return { executions: lines.map(toRow), searchedBy: 'name' };
  }

  const needle = search.toLowerCase();
  const window: ExecutionsPort = {
    ...port,
    list: async (windowQuery) => (await port.list({ ...windowQuery, limit: PARTIAL_SEARCH_WINDOW })).filter((e) => e.name.toLowerCase().includes(needle)).slice(0, query.limit),
  };
  return { executions: (await listExecutions(window, query, now)).map(toRow), searchedBy: 'latest' };
};

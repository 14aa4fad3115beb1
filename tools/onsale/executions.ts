import { createClients } from '#tools/ops/clients';
import type { OpsConfig } from '#tools/ops/config';
import type { ExecutionSummary } from '#tools/ops/ports';
import { createSfnExecutions } from '#tools/ops/sfn-executions';

/** More executions than any on-sale starts: the listing must be complete for the checks to mean anything. */
const LISTING_LIMIT = 1_000_000;

/**
 * Every execution of the purchase saga started since `since`, through the
 * Step Functions API (ListExecutions), as support would see them.
 */
const listRunExecutions = async (ops: OpsConfig, since: Date): Promise<ExecutionSummary[]> => {
  const clients = createClients(ops);
  try {
    return await createSfnExecutions(clients.sfn, ops.outputs.StateMachineArn).list({ since, limit: LISTING_LIMIT });
  } finally {
    clients.sfn.destroy();
    clients.eventBridge.destroy();
    clients.sqs.destroy();
    clients.documents.destroy();
  }
};

const OPEN_STATUSES: ReadonlySet<string> = new Set(['RUNNING', 'PENDING_REDRIVE']);
const LISTING_INTERVAL_MS = 1_000;

/**
 * The run's executions once none of the accepted purchases' is still open,
 * or as they are at the deadline. A purchase can read CONFIRMED while its
 * execution is still in its last step (ConfirmPurchase published, then its
 * answer was lost and the step is retried): the checks wait for that too.
 */
export const listClosedRunExecutions = async (
  ops: OpsConfig,
  since: Date,
  purchaseIds: readonly string[],
  deadline: number,
): Promise<ExecutionSummary[]> => {
  const accepted = new Set(purchaseIds);
  for (;;) {
    const executions = await listRunExecutions(ops, since);
    const open = executions.some((execution) => accepted.has(execution.name) && OPEN_STATUSES.has(execution.status));
    if (!open || Date.now() >= deadline) return executions;
    await new Promise((resolveWait) => setTimeout(resolveWait, LISTING_INTERVAL_MS));
  }
};

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
export const listRunExecutions = async (ops: OpsConfig, since: Date): Promise<ExecutionSummary[]> => {
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

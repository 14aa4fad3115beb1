import { createClients } from '#tools/ops/clients';
import { connect } from '#tools/ops/connect';
import { createSqsQueues } from '#tools/ops/sqs-queues';
import type { Target } from '#tools/onsale/target';
import { countDeadLetteredEvents } from './dead-lettered-events.ts';

/**
 * What the run left for a person in the dead-letter queues: purchase
 * requests the starter gave up on (their purchases are settled by the
 * sweeper, the messages stay) and events a rule of the bus could not deliver
 * (a replay of their window applies them). Counted at the end of the run,
 * replays included.
 */
export interface DeadLettersLeft {
  readonly purchaseQueue: number;
  readonly busRuleTargets: number;
}

export const countDeadLettersLeft = async (target: Target): Promise<DeadLettersLeft> => {
  const { outputs } = target.ops;
  const clients = createClients(target.ops);
  const rules = (await connect(target.ops).replays.listRules(outputs.EventBusName)).filter((rule) => rule.managedBy === undefined).map((rule) => rule.name);
  return {
    purchaseQueue: await createSqsQueues(clients.sqs).approximateCount(outputs.PurchaseDeadLetterQueueUrl),
    busRuleTargets: await countDeadLetteredEvents(clients, outputs.EventBusName, rules),
  };
};

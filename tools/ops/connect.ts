import { createArchiveFile } from './archive-file.ts';
import { createClients } from './clients.ts';
import type { OpsConfig } from './config.ts';
import { createDynamoDbPurchases } from './dynamodb-purchases.ts';
import { createEventBridgeReplays } from './eventbridge-replays.ts';
import type { ArchivePort, ExecutionsPort, PurchasesPort, QueuePort, ReplayPort } from './ports.ts';
import { createSfnExecutions } from './sfn-executions.ts';
import { createSqsQueues } from './sqs-queues.ts';

export interface OpsPorts {
  readonly executions: ExecutionsPort;
  readonly purchases: PurchasesPort;
  readonly replays: ReplayPort;
  readonly queues: QueuePort;
  /** Only locally, when the runtime names its archive file. */
  readonly archive?: ArchivePort;
}

/** Wires the SDK adapters for a target: the one place the commands get their ports from. */
export const connect = (config: OpsConfig): OpsPorts => {
  const clients = createClients(config);
  return {
    executions: createSfnExecutions(clients.sfn, config.outputs.StateMachineArn),
    purchases: createDynamoDbPurchases(clients.documents, config.outputs.PurchasesTableName),
    replays: createEventBridgeReplays(clients.eventBridge),
    queues: createSqsQueues(clients.sqs),
    ...(config.target === 'local' && config.archiveFile ? { archive: createArchiveFile(config.archiveFile) } : {}),
  };
};

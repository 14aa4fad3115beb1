import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OpsConfig } from './config.ts';

export interface OpsClients {
  readonly sfn: SFNClient;
  readonly eventBridge: EventBridgeClient;
  readonly sqs: SQSClient;
  readonly documents: DynamoDBDocumentClient;
}

/** The local services accept any signature; the SDK still insists on signing with something. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * The same clients for both targets: locally each points at its service's
 * endpoint; on AWS, credentials come from the standard provider chain and the
 * region is the stack's own (taken from its ARNs).
 */
export const createClients = (config: OpsConfig): OpsClients => {
  const local = config.target === 'local' ? config.endpoints : undefined;
  const common = local ? { region: config.region, credentials: LOCAL_CREDENTIALS } : { region: config.region };
  const dynamoDb = new DynamoDBClient({ ...common, ...(local ? { endpoint: local.dynamodb } : {}) });
  return {
    sfn: new SFNClient({ ...common, ...(local ? { endpoint: local.stepfunctions } : {}) }),
    eventBridge: new EventBridgeClient({ ...common, ...(local ? { endpoint: local.eventbridge } : {}) }),
    // Locally the queue URL's host is not the endpoint to call.
    sqs: new SQSClient({ ...common, ...(local ? { endpoint: local.sqs, useQueueUrlAsEndpoint: false } : {}) }),
    documents: DynamoDBDocumentClient.from(dynamoDb),
  };
};

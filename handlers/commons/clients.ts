import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from './powertools.ts';

/**
 * SDK clients, created once per execution environment and traced. Endpoints
 * come from the standard AWS_ENDPOINT_URL_<SERVICE> variables, which is how
 * the local runtime points the same code at its local services.
 */
export const dynamoDbClient = tracer.captureAWSv3Client(new DynamoDBClient({}));
export const documentClient = DynamoDBDocumentClient.from(dynamoDbClient, {
  marshallOptions: { removeUndefinedValues: true },
});
export const eventBridgeClient = tracer.captureAWSv3Client(new EventBridgeClient({}));
// Send to the configured endpoint, not to the host inside the queue URL.
export const sqsClient = tracer.captureAWSv3Client(new SQSClient({ useQueueUrlAsEndpoint: false }));
export const sfnClient = tracer.captureAWSv3Client(new SFNClient({}));

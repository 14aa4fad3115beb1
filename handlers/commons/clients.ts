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
 *
 * Creating a client has no effect outside it, and the `@__PURE__` marks say
 * so to esbuild: a function's bundle keeps only the clients its handler
 * uses, not the SDK of every service (each client is 40 to 60 KB minified).
 */
export const dynamoDbClient = /* @__PURE__ */ tracer.captureAWSv3Client(/* @__PURE__ */ new DynamoDBClient({}));
export const documentClient = /* @__PURE__ */ DynamoDBDocumentClient.from(dynamoDbClient, {
  marshallOptions: { removeUndefinedValues: true },
});
export const eventBridgeClient = /* @__PURE__ */ tracer.captureAWSv3Client(/* @__PURE__ */ new EventBridgeClient({}));
// Send to the configured endpoint, not to the host inside the queue URL.
export const sqsClient = /* @__PURE__ */ tracer.captureAWSv3Client(/* @__PURE__ */ new SQSClient({ useQueueUrlAsEndpoint: false }));
export const sfnClient = /* @__PURE__ */ tracer.captureAWSv3Client(/* @__PURE__ */ new SFNClient({}));

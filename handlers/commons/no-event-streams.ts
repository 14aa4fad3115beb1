/**
 * Stands in for `@smithy/core/event-streams` in the bundles (an esbuild alias
 * in infra/constructs/functions.ts). The SDK imports that module on demand,
 * only for an operation whose input or output is an event stream, and none of
 * the clients the functions use (DynamoDB, EventBridge, SQS, Step Functions)
 * has one; bundled, it was 19 KB in every function. Should a function ever
 * call such an operation, it fails here with a message that says why.
 */

export class EventStreamsNotBundledError extends Error {
  override readonly name = 'EventStreamsNotBundledError';

  constructor() {
    super('Event streams are not bundled: remove the @smithy/core/event-streams alias in infra/constructs/functions.ts to call an operation that streams events');
  }
}

export const eventStreamSerdeProvider = (): never => {
  throw new EventStreamsNotBundledError();
};

export class EventStreamSerde {
  constructor() {
    throw new EventStreamsNotBundledError();
  }
}

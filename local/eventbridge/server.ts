import { startAwsJsonServer } from '#local/aws-json-server';
import type { Service } from '#local/ports';
import type { LocalEventBridge } from './bus.ts';
import { OPERATIONS } from './operations.ts';

/** Well above PutEvents' 256 KB, so AWS's own limit is the one callers meet. */
const MAX_BODY_BYTES = 1024 * 1024;

/** The EventBridge endpoint: `AWS_ENDPOINT_URL_EVENTBRIDGE` for SDK clients, `--endpoint-url` for the CLI. */
export interface EventBridgeService extends Service {
  readonly bridge: LocalEventBridge;
}

export interface EventBridgeServerOptions {
  /** @default 0, a free port */
  readonly port?: number;
}

/**
 * Serves the EventBridge JSON 1.1 protocol (X-Amz-Target:
 * AWSEvents.<Action>) on 127.0.0.1, so `@aws-sdk/client-eventbridge` and
 * `aws events ... --endpoint-url` work against the local bus. Stopping the
 * service closes the port, then stops the bus's deliveries and replays.
 */
export const startEventBridgeServer = async (bridge: LocalEventBridge, options: EventBridgeServerOptions = {}): Promise<EventBridgeService> => {
  const server = await startAwsJsonServer({
    serviceName: 'EventBridge',
    jsonVersion: '1.1',
    targetPrefix: 'AWSEvents.',
    operations: OPERATIONS,
    context: bridge,
    maxBodyBytes: MAX_BODY_BYTES,
    internalErrorType: 'InternalException',
    ...(options.port !== undefined && { port: options.port }),
  });
  return {
    name: 'eventbridge',
    endpoint: server.endpoint,
    bridge,
    stop: async () => {
      await server.stop();
      await bridge.stop();
    },
  };
};

import { startAwsJsonServer } from '#local/aws-json-server';
import type { Service } from '#local/ports';
import type { LocalStepFunctions } from './local-step-functions.ts';
import { OPERATIONS } from './protocol.ts';

/**
 * The Step Functions endpoint on 127.0.0.1: the JSON 1.0 protocol with
 * `X-Amz-Target: AWSStepFunctions.<Operation>`, which is what
 * @aws-sdk/client-sfn (with `endpoint`) and the AWS CLI (with
 * `--endpoint-url`) send.
 */
export interface StepFunctionsServerOptions {
  readonly stepFunctions: LocalStepFunctions;
  /** @default 0: a free port */
  readonly port?: number;
}

export interface StepFunctionsServer extends Service {
  readonly port: number;
}

/** Generous for 256 KiB inputs escaped inside JSON strings. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** How a port conflict names this service. */
export const STEP_FUNCTIONS_SERVICE_NAME = 'Step Functions';

export const startStepFunctionsServer = async (options: StepFunctionsServerOptions): Promise<StepFunctionsServer> => {
  const server = await startAwsJsonServer({
    serviceName: STEP_FUNCTIONS_SERVICE_NAME,
    jsonVersion: '1.0',
    targetPrefix: 'AWSStepFunctions.',
    operations: OPERATIONS,
    context: options.stepFunctions,
    maxBodyBytes: MAX_BODY_BYTES,
    ...(options.port !== undefined && { port: options.port }),
  });
  return { name: 'stepfunctions', ...server };
};

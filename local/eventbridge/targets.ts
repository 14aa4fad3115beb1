import { parseArn } from '#local/arns';
import type { ExecutionStarter, FunctionInvoker } from '#local/ports';

/** Message attributes, as EventBridge attaches them to dead-letter messages. */
export type MessageAttributes = Readonly<Record<string, string>>;

/**
 * Sends to a queue by URL or ARN. The attributes are an optional extra over
 * `QueueSender` in local/ports.ts, so any QueueSender fits; an adapter that
 * accepts them receives the dead-letter attributes AWS adds.
 */
export interface AttributedQueueSender {
  sendMessage(queueUrlOrArn: string, body: string, attributes?: MessageAttributes): Promise<void>;
}

/** The neighbours that targets are delivered through; absent ones make their targets a startup error. */
export interface TargetPorts {
  readonly functions?: FunctionInvoker;
  readonly queues?: AttributedQueueSender;
  readonly executions?: ExecutionStarter;
}

/** Delivers one rendered input to one target; rejects when the target fails. */
export type TargetSender = (input: string) => Promise<void>;

class UnsupportedTargetError extends Error {
  override readonly name = 'UnsupportedTargetError';
}

/** Lambda receives the input as JSON when it is JSON (the usual case), else as a JSON string. */
const lambdaPayload = (input: string): unknown => {
  try {
    const parsed: unknown = JSON.parse(input);
    return parsed;
  } catch {
    return input;
  }
};

const requirePort = <T>(port: T | undefined, arn: string, portName: string): T => {
  if (!port) throw new UnsupportedTargetError(`target ${arn} needs a ${portName}, and none was given`);
  return port;
};

/**
 * Builds the sender for a target ARN: Lambda functions, SQS queues and Step
 * Functions state machines. Any other kind is a startup error naming the ARN.
 */
export const senderForTarget = (arn: string, ports: TargetPorts): TargetSender => {
  switch (parseArn(arn)?.service) {
    case 'lambda': {
      const functions = requirePort(ports.functions, arn, 'FunctionInvoker');
      return async (input) => {
        await functions.invoke(arn, lambdaPayload(input));
      };
    }
    case 'sqs': {
      const queues = requirePort(ports.queues, arn, 'QueueSender');
      return (input) => queues.sendMessage(arn, input);
    }
    case 'states': {
      const executions = requirePort(ports.executions, arn, 'ExecutionStarter');
      return (input) => executions.startExecution(arn, input);
    }
    default:
      throw new UnsupportedTargetError(`target ${arn} is not supported locally (Lambda, SQS and Step Functions targets are)`);
  }
};

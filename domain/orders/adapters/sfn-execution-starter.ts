import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { StartPurchaseExecution } from '../ports.ts';

export interface SfnExecutionStarterOptions {
  readonly client: SFNClient;
  readonly stateMachineArn: string;
}

/**
 * One Standard execution per purchase, named after it. Step Functions keeps
 * names unique, so a redelivered message cannot start the saga twice: an
 * existing execution with the same name is reported as ExecutionAlreadyExists.
 */
export const createSfnExecutionStarter =
  ({ client, stateMachineArn }: SfnExecutionStarterOptions): StartPurchaseExecution =>
  async (input) => {
    try {
      await client.send(new StartExecutionCommand({ stateMachineArn, name: input.purchaseId, input: JSON.stringify(input) }));
      return 'started';
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) return 'alreadyStarted';
      throw error;
    }
  };

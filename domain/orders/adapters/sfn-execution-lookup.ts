import { DescribeExecutionCommand, ExecutionDoesNotExist, type SFNClient } from '@aws-sdk/client-sfn';
import type { ExecutionExists } from '../ports.ts';

export interface SfnExecutionLookupOptions {
  readonly client: SFNClient;
  readonly stateMachineArn: string;
}

/** arn:aws:states:<region>:<account>:stateMachine:<name> -> the ARN of its execution named `executionName`. */
export const executionArnOf = (stateMachineArn: string, executionName: string): string => {
  const marker = ':stateMachine:';
  const at = stateMachineArn.lastIndexOf(marker);
  if (at < 0) throw new RangeError(`Not a state machine ARN: ${stateMachineArn}`);
  return `${stateMachineArn.slice(0, at)}:execution:${stateMachineArn.slice(at + marker.length)}:${executionName}`;
};

/** Whether the saga has an execution for this purchase (the execution is named after it), whatever its status. */
export const createSfnExecutionLookup =
  ({ client, stateMachineArn }: SfnExecutionLookupOptions): ExecutionExists =>
  async (purchaseId) => {
    try {
      await client.send(new DescribeExecutionCommand({ executionArn: executionArnOf(stateMachineArn, purchaseId) }));
      return true;
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return false;
      throw error;
    }
  };

import { DescribeStateMachineCommand, DescribeStateMachineForExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { executionArnOf } from '#tools/ops/sfn-executions';

/** The ASL document the console draws (JSON text, as DescribeStateMachine returns it). */
export interface StateMachinePort {
  /** The machine's current definition. */
  definition(): Promise<string>;
  /**
   * The definition an execution ran with (it may predate the last deploy);
   * undefined when no execution has that name.
   */
  definitionForExecution(name: string): Promise<string | undefined>;
}

const isNotFound = (error: unknown) => error instanceof Error && error.name === 'ExecutionDoesNotExist';

export const createSfnStateMachine = (client: SFNClient, stateMachineArn: string): StateMachinePort => ({
  async definition() {
    const response = await client.send(new DescribeStateMachineCommand({ stateMachineArn }));
    if (!response.definition) throw new Error(`DescribeStateMachine returned no definition for ${stateMachineArn}`);
    return response.definition;
  },

  async definitionForExecution(name) {
    try {
      const response = await client.send(new DescribeStateMachineForExecutionCommand({ executionArn: executionArnOf(stateMachineArn, name) }));
      return response.definition;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  },
});

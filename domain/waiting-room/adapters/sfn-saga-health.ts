import { ListExecutionsCommand, type ExecutionStatus, type SFNClient } from '@aws-sdk/client-sfn';
import type { SagaHealthCheck } from '../ports.ts';

/** The statuses the ExecutionNeedsAPerson alarm counts: a purchase no retry could settle. */
export const NEEDS_A_PERSON_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const satisfies readonly ExecutionStatus[];

/**
 * How long an execution that stopped that way keeps the saga unhealthy.
 * Five admitter runs: long enough that a late or failed run still sees it
 * and that failures coming one after another keep the room paused, short
 * enough that one purchase waiting for its redrive does not close the room
 * for the rest of the on-sale (the alarm and `npm run executions` keep it
 * in front of support).
 */
export const NEEDS_A_PERSON_WINDOW_SECONDS = 5 * 60;

interface StoppedExecutionsOptions {
  readonly client: SFNClient;
  readonly stateMachineArn: string;
  readonly now: () => Date;
  /** @default NEEDS_A_PERSON_WINDOW_SECONDS */
  readonly windowSeconds?: number;
}

/**
 * The purchase saga is unhealthy while an execution stopped FAILED,
 * TIMED_OUT or ABORTED within the window: the source of the
 * ExecutionNeedsAPerson alarm, read from Step Functions itself, which
 * answers the same on AWS and on the local runtime. One ListExecutions a
 * status, newest first; it orders by start, so an older execution that
 * stopped later is missed until it is the newest of its status (the alarm
 * still fires for it).
 */
export const createStoppedExecutionsHealthCheck =
  ({ client, stateMachineArn, now, windowSeconds = NEEDS_A_PERSON_WINDOW_SECONDS }: StoppedExecutionsOptions): SagaHealthCheck =>
  async () => {
    const since = now().getTime() - windowSeconds * 1_000;
    const newest = await Promise.all(
      NEEDS_A_PERSON_STATUSES.map(async (statusFilter) => (await client.send(new ListExecutionsCommand({ stateMachineArn, statusFilter, maxResults: 1 }))).executions?.[0]),
    );
    const recent = newest.flatMap((execution) => (execution?.stopDate !== undefined && execution.stopDate.getTime() >= since ? [execution] : []));
    if (recent.length === 0) return { healthy: true };
    const named = recent.map((execution) => `purchase ${execution.name} ${execution.status} at ${execution.stopDate?.toISOString()}`);
    return { healthy: false, reason: `a purchase saga execution needs a person: ${named.join(', ')}` };
  };

import { type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { PENDING_START_INDEX } from '#domain/orders/pending-start';
import { DEFER_DELAY_SECONDS } from '#domain/orders/purchase-starter';
import { SUSTAINED } from './alarms.ts';
import { TicketingFunction } from './functions.ts';
import { grantPublishing } from './publishing.ts';
import { grantTableAccess } from './table-access.ts';

/** How long a purchase may show no sign of life (request, claim, re-queue) before the sweeper acts. */
export const DEFAULT_SWEEP_STALE_AFTER = Duration.minutes(5);
/** Re-queues of a purchase no starter ever saw before it is failed for the buyer. */
const DEFAULT_SWEEP_MAX_REQUEUES = 3;
/** EventBridge's shortest schedule: a purchase waits at most the window plus a minute. */
const DEFAULT_SWEEP_SCHEDULE = events.Schedule.rate(Duration.minutes(1));

/**
 * The window must be long enough that no starter invocation that claimed a
 * purchase can still be running when the sweeper fails it (the claim is
 * taken before StartExecution, inside an invocation bounded by the starter's
 * timeout), and that a deferred message is received again before it ends.
 */
const STARTER_TIMEOUTS_PER_WINDOW = 2;

export class SweepWindowTooShortError extends Error {
  override readonly name = 'SweepWindowTooShortError';
}

export interface PurchaseSweeperProps {
  /** The purchases table: the sweeper's sparse index is added to it. */
  readonly purchasesTable: dynamodb.Table;
  /** Where purchases are queued again. */
  readonly purchaseQueue: sqs.IQueue;
  /** The saga: an execution named after a purchase means the purchase started. */
  readonly stateMachine: sfn.IStateMachine;
  /** Where PurchaseFailed is published. */
  readonly eventBus: events.IEventBus;
  /** The starter's timeout, which bounds how long a claim can stay in use. */
  readonly starterTimeout: Duration;
  /** @default DEFAULT_SWEEP_STALE_AFTER (5 minutes) */
  readonly staleAfter?: Duration;
  /** @default DEFAULT_SWEEP_MAX_REQUEUES (3) */
  readonly maxRequeues?: number;
  /** @default DEFAULT_SWEEP_SCHEDULE (every minute) */
  readonly schedule?: events.Schedule;
}

/**
 * Nothing stays QUEUED: a scheduled function that reads the purchases still
 * waiting for their execution (a sparse, sharded index: only those items
 * carry its keys) and queues them again or fails them for the buyer. An
 * alarm goes off when a sweep fails.
 */
export class PurchaseSweeper extends Construct {
  public readonly sweeper: TicketingFunction;
  public readonly rule: events.Rule;
  /** Raised when a sweep fails (an invocation error, after EventBridge's retries too); wire it to the alarm topic. */
  public readonly failureAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: PurchaseSweeperProps) {
    super(scope, id);
    const staleAfter = props.staleAfter ?? DEFAULT_SWEEP_STALE_AFTER;
    const shortest = Math.max(props.starterTimeout.toSeconds() * STARTER_TIMEOUTS_PER_WINDOW, DEFER_DELAY_SECONDS.max * 2);
    if (staleAfter.toSeconds() < shortest) {
      throw new SweepWindowTooShortError(`The sweep window (${staleAfter.toSeconds()} s) must be at least ${shortest} s for the starter's claims to exclude the sweeper's refusals`);
    }

    props.purchasesTable.addGlobalSecondaryIndex({
      indexName: PENDING_START_INDEX.name,
      partitionKey: { name: PENDING_START_INDEX.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: PENDING_START_INDEX.sortKey, type: dynamodb.AttributeType.STRING },
      // The sweeper reads each candidate again with a consistent GetItem before it acts: keys are all the index needs.
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });

    this.sweeper = new TicketingFunction(this, 'Sweeper', {
      handlerName: 'sweep-purchases',
      description: 'Every minute: queues again or fails purchases that waited too long without an execution',
      timeout: Duration.minutes(1),
      config: {
        purchasesTable: props.purchasesTable.tableName,
        purchaseQueueUrl: props.purchaseQueue.queueUrl,
        stateMachineArn: props.stateMachine.stateMachineArn,
        eventBusName: props.eventBus.eventBusName,
        sweepStaleAfterSeconds: String(staleAfter.toSeconds()),
        sweepMaxRequeues: String(props.maxRequeues ?? DEFAULT_SWEEP_MAX_REQUEUES),
      },
    });
    grantTableAccess(this.sweeper, 'sweep-purchases', { purchases: props.purchasesTable });
    props.purchaseQueue.grantSendMessages(this.sweeper);
    grantPublishing(this.sweeper, 'sweep-purchases', props.eventBus);
    props.stateMachine.grantExecution(this.sweeper, 'states:DescribeExecution');
    const stack = Stack.of(this);
    const stateMachineId = stack.getLogicalId(props.stateMachine.node.defaultChild as CfnElement);
    Validations.of(this.sweeper.role ?? this.sweeper).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${stateMachineId}"}]}]}:*]`,
      reason: 'Executions are named after purchases, so their ARNs are not known in advance: the sweeper may DescribeExecution on the executions of this one state machine, nothing else.',
    });


    this.rule = new events.Rule(this, 'Schedule', {
      description: 'Runs the purchase sweeper',
      schedule: props.schedule ?? DEFAULT_SWEEP_SCHEDULE,
      // A failed sweep is retried twice; the next scheduled run is a retry too.
      targets: [new targets.LambdaFunction(this.sweeper, { retryAttempts: 2, maxEventAge: Duration.minutes(5) })],
    });

    this.failureAlarm = new cloudwatch.Alarm(this, 'SweepFailed', {
      alarmDescription: `The purchase sweeper failed in ${SUSTAINED.datapointsToAlarm} of the last ${SUSTAINED.evaluationPeriods} minutes: past one failed run (EventBridge retries it and the next minute sweeps again), purchases stay QUEUED. Read its log for the purchase ids it could not sweep.`,
      metric: this.sweeper.metricErrors({ period: Duration.minutes(1), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      ...SUSTAINED,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}

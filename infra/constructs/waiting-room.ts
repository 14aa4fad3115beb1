import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PRE_QUEUE_INDEX } from '#domain/waiting-room/queue-ticket';
import { SUSTAINED } from './alarms.ts';
import { API_ROUTES, type TicketingApi } from './api.ts';
import type { TicketingTables } from './data.ts';
import { TicketingFunction } from './functions.ts';
import { grantTableAccess } from './table-access.ts';

/** EventBridge's shortest schedule; each run admits up to a concert's admissionsPerMinute. */
const DEFAULT_ADMISSION_SCHEDULE = events.Schedule.rate(Duration.minutes(1));
/** Under the schedule's minute, so two runs do not overlap (and if they do, the room's version lets only one write). */
const ADMITTER_TIMEOUT = Duration.seconds(50);

export interface WaitingRoomProps {
  readonly tables: TicketingTables;
  /** The buyer API the line's routes join. */
  readonly api: TicketingApi;
  /** The purchase saga's dead-letter queue: admission pauses while it holds a message. */
  readonly purchaseDeadLetterQueue: sqs.IQueue;
  /** The purchase saga: admission pauses while one of its executions recently stopped FAILED, TIMED_OUT or ABORTED. */
  readonly purchaseStateMachine: sfn.IStateMachine;
  /** @default DEFAULT_ADMISSION_SCHEDULE (every minute) */
  readonly schedule?: events.Schedule;
}

/**
 * The waiting room in front of gated on-sales (domain/waiting-room/): the
 * routes buyers join the line and poll their ticket on, and the admitter a
 * scheduled rule runs every minute. Its table's sparse index holds only the
 * pre-queue, which the draw reads once, at the start.
 */
export class WaitingRoom extends Construct {
  public readonly joinQueue: TicketingFunction;
  public readonly getQueueTicket: TicketingFunction;
  public readonly admitter: TicketingFunction;
  public readonly rule: events.Rule;
  /** Raised when admission runs fail: nobody is let in while they do. */
  public readonly failureAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: WaitingRoomProps) {
    super(scope, id);
    const { tables } = props;

    tables.waitingRoom.addGlobalSecondaryIndex({
      indexName: PRE_QUEUE_INDEX.name,
      partitionKey: { name: PRE_QUEUE_INDEX.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: PRE_QUEUE_INDEX.sortKey, type: dynamodb.AttributeType.NUMBER },
      // The draw needs the ticket key and its shuffle key, nothing else.
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });

    const roomConfig = { concertsTable: tables.concerts.tableName, waitingRoomTable: tables.waitingRoom.tableName };
    this.joinQueue = new TicketingFunction(this, 'JoinQueue', {
      handlerName: 'join-queue',
      description: "POST /concerts/{concertId}/queue: joins a gated concert's line (or finds the buyer's ticket)",
      config: roomConfig,
    });
    grantTableAccess(this.joinQueue, 'join-queue', tables);

    this.getQueueTicket = new TicketingFunction(this, 'GetQueueTicket', {
      handlerName: 'get-queue-ticket',
      description: "GET /concerts/{concertId}/queue/{ticketId}: the buyer's place in line, and the admission token once admitted",
      config: roomConfig,
    });
    grantTableAccess(this.getQueueTicket, 'get-queue-ticket', tables);

    this.admitter = new TicketingFunction(this, 'Admitter', {
      handlerName: 'admit-buyers',
      description: 'Every minute: draws the pre-queue at the on-sale start, then admits buyers at the configured rate while the saga is healthy',
      timeout: ADMITTER_TIMEOUT,
      config: { ...roomConfig, purchaseDeadLetterQueueUrl: props.purchaseDeadLetterQueue.queueUrl, stateMachineArn: props.purchaseStateMachine.stateMachineArn },
    });
    grantTableAccess(this.admitter, 'admit-buyers', tables);
    props.purchaseDeadLetterQueue.grant(this.admitter, 'sqs:GetQueueAttributes');
    props.purchaseStateMachine.grant(this.admitter, 'states:ListExecutions');

    props.api.addBuyerRoute(API_ROUTES.joinQueue, 'JoinQueue', this.joinQueue);
    props.api.addBuyerRoute(API_ROUTES.getQueueTicket, 'GetQueueTicket', this.getQueueTicket);

    this.rule = new events.Rule(this, 'Schedule', {
      description: 'Runs the waiting room admitter',
      schedule: props.schedule ?? DEFAULT_ADMISSION_SCHEDULE,
      // A missed run only delays admission by a minute: the next run admits as usual, so no retries that could overlap it.
      targets: [new targets.LambdaFunction(this.admitter, { retryAttempts: 0 })],
    });

    this.failureAlarm = new cloudwatch.Alarm(this, 'AdmissionFailed', {
      alarmDescription: `The waiting room admitter failed in ${SUSTAINED.datapointsToAlarm} of the last ${SUSTAINED.evaluationPeriods} minutes: no buyer is admitted while it fails, and the lines only grow. Read its log for the error.`,
      metric: this.admitter.metricErrors({ period: Duration.minutes(1), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      ...SUSTAINED,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}

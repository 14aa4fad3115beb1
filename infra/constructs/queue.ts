import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambdaEventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { createDeadLetterQueue } from './dead-letter-queue.ts';
import { TicketingFunction } from './functions.ts';
import { grantTableAccess } from './table-access.ts';

/**
 * AWS's rule for a queue feeding Lambda: the visibility timeout is at least
 * six times the function's timeout, so a message is not handed to a second
 * poller while throttled retries of the first batch are still running.
 */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/**
 * Receives before a message is dead-lettered. They count only failures that
 * retrying does not fix: a throttled start is retried with backoff inside
 * the invocation and then deferred (sent again with a delay, the received
 * copy deleted), so throttling never uses up a receive. Five receives, one
 * visibility timeout apart, give a transient cause the SDK does not classify
 * about a quarter of an hour before a person is called; the sweeper fails
 * such a purchase for the buyer once it has had no sign of life for its window.
 */
const DEFAULT_MAX_RECEIVE_COUNT = 5;

export interface PurchaseQueueProps {
  /** The saga the starter starts, one execution per message (name = purchaseId). */
  readonly stateMachine: sfn.IStateMachine;
  /** The purchases table, where the starter claims each purchase before starting it. */
  readonly purchasesTable: dynamodb.ITable;
  /**
   * Timeout of the starter function; the queue's visibility timeout is
   * VISIBILITY_TIMEOUT_FACTOR times it. A batch whose invocation failed (the
   * Lambda service throttled it, the runtime crashed) waits that long before
   * it is received again, so the starter is kept short: ten StartExecution
   * calls and their retries take a few seconds.
   * @default Duration.seconds(10)
   */
  readonly starterTimeout?: Duration;
  /**
   * Messages per starter invocation.
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * Concurrent starter invocations at most: with the batch size, the bound on
   * StartExecution calls in flight, which keeps an on-sale spike under the
   * Standard StartExecution quota.
   * @default 10
   */
  readonly maxConcurrency?: number;
  /**
   * Receives before a message moves to the dead-letter queue.
   * @default DEFAULT_MAX_RECEIVE_COUNT (5)
   */
  readonly maxReceiveCount?: number;
  /**
   * How long an accepted purchase may wait in the queue.
   * @default Duration.days(4)
   */
  readonly retentionPeriod?: Duration;
}

/**
 * The spike buffer between the API and the saga: accepted purchases wait in
 * an encrypted queue (with a dead-letter queue) and a starter with bounded
 * concurrency turns each message into an execution named after the
 * purchase. One bad message fails alone (partial batch responses).
 */
export class PurchaseQueue extends Construct {
  public readonly starterTimeout: Duration;
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  public readonly starter: TicketingFunction;
  public readonly eventSource: lambdaEventSources.SqsEventSource;

  constructor(scope: Construct, id: string, props: PurchaseQueueProps) {
    super(scope, id);
    const starterTimeout = props.starterTimeout ?? Duration.seconds(10);
    this.starterTimeout = starterTimeout;

    const maxReceiveCount = props.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT;
    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue');
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(starterTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
      retentionPeriod: props.retentionPeriod ?? Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });

    this.starter = new TicketingFunction(this, 'Starter', {
      handlerName: 'start-purchase',
      description: 'Starts one purchase saga execution per queued purchase (execution name = purchaseId)',
      config: {
        stateMachineArn: props.stateMachine.stateMachineArn,
        purchasesTable: props.purchasesTable.tableName,
        purchaseQueueUrl: this.queue.queueUrl,
        purchaseQueueMaxReceiveCount: String(maxReceiveCount),
      },
      timeout: starterTimeout,
    });
    props.stateMachine.grantStartExecution(this.starter);
    grantTableAccess(this.starter, 'start-purchase', { purchases: props.purchasesTable });
    // A deferred start is sent back to this queue.
    this.queue.grantSendMessages(this.starter);

    this.eventSource = new lambdaEventSources.SqsEventSource(this.queue, {
      batchSize: props.batchSize ?? 10,
      maxConcurrency: props.maxConcurrency ?? 10,
      reportBatchItemFailures: true,
    });
    this.starter.addEventSource(this.eventSource);
  }
}

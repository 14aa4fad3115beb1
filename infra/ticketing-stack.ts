import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Construct } from 'constructs';
import type { TableId } from '#domain/tables';
import { TicketingAlarms } from './constructs/alarms.ts';
import { TicketingApi } from './constructs/api.ts';
import { TicketingData } from './constructs/data.ts';
import { TicketingEvents } from './constructs/events.ts';
import { PurchaseSweeper } from './constructs/purchase-sweeper.ts';
import { PurchaseQueue } from './constructs/queue.ts';
import { WaitingRoom } from './constructs/waiting-room.ts';
import { PurchaseWorkflow } from './constructs/workflow.ts';
import { readDeploySettings } from './deploy-context.ts';
import { STACK_OUTPUTS, TABLE_NAME_OUTPUTS } from './outputs.ts';

/**
 * The ticket purchase saga, composed: tables, the event bus with its
 * projections, the state machine with its steps, the purchase queue with its
 * starter, the buyer API, and the alarms over all of them. Environment
 * agnostic: it synthesizes offline and deploys to any account and region.
 */
export class TicketingStack extends Stack {
  public readonly data: TicketingData;
  public readonly events: TicketingEvents;
  public readonly workflow: PurchaseWorkflow;
  public readonly purchaseQueue: PurchaseQueue;
  public readonly purchaseSweeper: PurchaseSweeper;
  public readonly api: TicketingApi;
  public readonly waitingRoom: WaitingRoom;
  public readonly alarms: TicketingAlarms;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const settings = readDeploySettings(this.node);

    this.data = new TicketingData(this, 'Data');
    const { tables } = this.data;
    this.events = new TicketingEvents(this, 'Events', { tables });
    this.workflow = new PurchaseWorkflow(this, 'Workflow', { tables, eventBus: this.events.bus });
    this.purchaseQueue = new PurchaseQueue(this, 'PurchaseQueue', { stateMachine: this.workflow.stateMachine, purchasesTable: tables.purchases });
    this.purchaseSweeper = new PurchaseSweeper(this, 'PurchaseSweeper', {
      purchasesTable: tables.purchases,
      purchaseQueue: this.purchaseQueue.queue,
      stateMachine: this.workflow.stateMachine,
      eventBus: this.events.bus,
      starterTimeout: this.purchaseQueue.starterTimeout,
    });
    this.api = new TicketingApi(this, 'Api', { tables, purchaseQueue: this.purchaseQueue.queue, eventBus: this.events.bus, corsAllowedOrigins: settings.corsAllowedOrigins });
    this.waitingRoom = new WaitingRoom(this, 'WaitingRoom', { tables, api: this.api, purchaseDeadLetterQueue: this.purchaseQueue.deadLetterQueue, purchaseStateMachine: this.workflow.stateMachine });
    this.alarms = new TicketingAlarms(this, 'Alarms', {
      deadLetterQueues: {
        Purchase: this.purchaseQueue.deadLetterQueue,
        PurchaseStatusProjection: this.events.purchaseStatus.deadLetterQueue,
        SeatAvailabilityProjection: this.events.seatAvailability.deadLetterQueue,
      },
      stateMachine: this.workflow.stateMachine,
      httpApi: this.api.httpApi,
      ...(settings.alarmEmail !== undefined && { email: settings.alarmEmail }),
    });
    this.purchaseSweeper.failureAlarm.addAlarmAction(new cloudwatchActions.SnsAction(this.alarms.topic));
    this.waitingRoom.failureAlarm.addAlarmAction(new cloudwatchActions.SnsAction(this.alarms.topic));

    this.output(STACK_OUTPUTS.apiUrl, this.api.url, 'Base URL of the buyer API');
    this.output(STACK_OUTPUTS.userPoolId, this.api.userPool.userPoolId, 'Cognito user pool of buyers');
    this.output(STACK_OUTPUTS.userPoolClientId, this.api.userPoolClient.userPoolClientId, 'App client buyers sign in with');
    this.output(STACK_OUTPUTS.stateMachineArn, this.workflow.stateMachine.stateMachineArn, 'Purchase saga state machine');
    this.output(STACK_OUTPUTS.stateMachineLogGroupName, this.workflow.logGroup.logGroupName, 'Execution log of the purchase saga');
    this.output(STACK_OUTPUTS.eventBusName, this.events.bus.eventBusName, 'Bus of the domain events');
    this.output(STACK_OUTPUTS.eventBusArn, this.events.bus.eventBusArn, 'Bus of the domain events');
    this.output(STACK_OUTPUTS.archiveName, this.events.archive.archiveName, 'Archive of every domain event, for replay');
    this.output(STACK_OUTPUTS.purchaseQueueUrl, this.purchaseQueue.queue.queueUrl, 'Queue of accepted purchases');
    this.output(STACK_OUTPUTS.purchaseDeadLetterQueueUrl, this.purchaseQueue.deadLetterQueue.queueUrl, 'Purchases that could not be started');
    this.output(
      STACK_OUTPUTS.purchaseStatusDeadLetterQueueUrl,
      this.events.purchaseStatus.deadLetterQueue.queueUrl,
      'Events the purchase status projection could not apply',
    );
    this.output(
      STACK_OUTPUTS.seatAvailabilityDeadLetterQueueUrl,
      this.events.seatAvailability.deadLetterQueue.queueUrl,
      'Events the seat availability projection could not apply',
    );
    this.output(STACK_OUTPUTS.alarmTopicArn, this.alarms.topic.topicArn, 'Topic every alarm notifies');
    for (const [table, outputName] of Object.entries(TABLE_NAME_OUTPUTS)) {
      this.output(outputName, tables[table as TableId].tableName, `The ${table} table`);
    }
  }

  /** Outputs are created on the stack itself, so their logical ids are exactly their names. */
  private output(name: string, value: string, description: string): void {
    new CfnOutput(this, name, { value, description });
  }
}

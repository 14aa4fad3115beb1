import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { PARTITION_SUBSTITUTION, purchaseSagaDefinition, TASK_FUNCTIONS, TASK_TIMEOUT_SECONDS, type TaskStateName } from '#workflows/purchase-saga';
import type { TicketingTables } from './data.ts';
import { TicketingFunction, type FunctionConfig } from './functions.ts';
import { grantPublishing, type PublishingHandler } from './publishing.ts';
import { grantTableAccess, tablesUsedBy, type TableAccessHandler } from './table-access.ts';

/**
 * Seconds between a step's Lambda timeout and its task's TimeoutSeconds. The
 * invocation always ends before the state gives up on it, so a compensation
 * never runs while the forward step it undoes is still writing.
 */
const STEP_TIMEOUT_MARGIN_SECONDS = 5;

interface StepSpec {
  readonly handlerName: TableAccessHandler & PublishingHandler;
  readonly description: string;
}

/**
 * The Lambda behind each task state. The tables it may use are its row of
 * TABLE_ACCESS, the events it may publish its row of PUBLISHED_EVENTS.
 */
export const STEP_SPECS: Readonly<Record<TaskStateName, StepSpec>> = {
  ReserveSeats: {
    handlerName: 'reserve-seats',
    description: 'Holds every requested seat for the purchase in one transaction',
  },
  ChargePayment: {
    handlerName: 'charge-payment',
    description: "Charges the buyer's payment token through the payment provider (idempotency key: purchaseId)",
  },
  CreateInvoice: {
    handlerName: 'create-invoice',
    description: 'Creates the one invoice of the purchase',
  },
  ConfirmPurchase: {
    handlerName: 'confirm-purchase',
    description: 'Marks the seats held by the purchase as sold',
  },
  VoidInvoice: {
    handlerName: 'void-invoice',
    description: 'Compensation: voids the invoice of the purchase, or makes sure none can be issued',
  },
  RefundPayment: {
    handlerName: 'refund-payment',
    description: 'Compensation: refunds the charge of the purchase, if there is one',
  },
  ReleaseSeats: {
    handlerName: 'release-seats',
    description: 'Compensation: releases the seats held by the purchase',
  },
  RecordPurchaseFailure: {
    handlerName: 'record-purchase-failure',
    description: 'Names the failed step and the reason, and publishes the terminal PurchaseFailed event',
  },
};

export interface PurchaseWorkflowProps {
  readonly tables: TicketingTables;
  /** The bus every step publishes its domain event to. */
  readonly eventBus: events.IEventBus;
  /**
   * Retention of the execution log (every state's input and output).
   * @default logs.RetentionDays.THREE_MONTHS, as long as Step Functions keeps a finished execution's history
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The purchase saga: the Standard state machine of workflows/purchase-saga.ts,
 * deployed as written (the function ARNs come in as definition
 * substitutions), with its eight step functions. Every state's input and
 * output are logged and traced: support staff read a purchase's story from
 * the execution.
 */
export class PurchaseWorkflow extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  public readonly logGroup: logs.LogGroup;
  public readonly steps: Readonly<Record<TaskStateName, TicketingFunction>>;

  constructor(scope: Construct, id: string, props: PurchaseWorkflowProps) {
    super(scope, id);

    const stepNames = Object.keys(TASK_FUNCTIONS) as TaskStateName[];
    this.steps = Object.fromEntries(
      stepNames.map((state) => [state, this.createStep(state, STEP_SPECS[state], props)] as const),
    ) as Record<TaskStateName, TicketingFunction>;

    this.logGroup = new logs.LogGroup(this, 'ExecutionLogs', {
      // Under /aws/vendedlogs/ so log delivery needs no entry in the account's size-limited log resource policy.
      logGroupName: `/aws/vendedlogs/states/${Stack.of(this).stackName}-purchase-saga`,
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      // A named group that outlived its stack would block deploying the stack again under the same name;
      // each execution's history stays readable in Step Functions for 90 days after it ends.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.stateMachine = new sfn.StateMachine(this, 'PurchaseSaga', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(JSON.stringify(purchaseSagaDefinition)),
      definitionSubstitutions: {
        ...Object.fromEntries(stepNames.map((state) => [TASK_FUNCTIONS[state], this.steps[state].functionArn])),
        [PARTITION_SUBSTITUTION]: Stack.of(this).partition,
      },
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });

    const stack = Stack.of(this);
    for (const state of stepNames) {
      const step = this.steps[state];
      step.grantInvoke(this.stateMachine);
      const functionLogicalId = stack.getLogicalId(step.node.defaultChild as CfnElement);
      Validations.of(this.stateMachine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`,
        reason: `grantInvoke also allows the versions and aliases of ${STEP_SPECS[state].handlerName} (and only of it); the machine invokes the unqualified ARN.`,
      });
    }
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Log delivery to CloudWatch Logs (logs:*LogDelivery, logs:PutResourcePolicy...) and X-Ray tracing support no resource-level permissions.',
    });
  }

  private createStep(state: TaskStateName, spec: StepSpec, props: PurchaseWorkflowProps): TicketingFunction {
    const tableConfig = Object.fromEntries(
      tablesUsedBy(spec.handlerName).map((table) => [`${table}Table`, props.tables[table].tableName]),
    ) as FunctionConfig;
    const step = new TicketingFunction(this, state, {
      handlerName: spec.handlerName,
      description: spec.description,
      config: { ...tableConfig, eventBusName: props.eventBus.eventBusName },
      timeout: Duration.seconds(TASK_TIMEOUT_SECONDS - STEP_TIMEOUT_MARGIN_SECONDS),
    });
    grantTableAccess(step, spec.handlerName, props.tables);
    grantPublishing(step, spec.handlerName, props.eventBus);
    return step;
  }
}

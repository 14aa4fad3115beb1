import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ERRORS } from '#workflows/purchase-saga';
import { metricsNamespace } from './functions.ts';

/** Execution errors that mean "a person must act": a compensation or the confirmation gave up. */
export const ESCALATION_ERRORS = [ERRORS.compensationFailed, ERRORS.confirmationFailed] as const;
/** The execution error of a purchase that failed for a business reason with every compensation done: expected. */
export const EXPECTED_FAILURE_ERRORS = [ERRORS.purchaseFailed] as const;

/** Metric names of the metric filters on the execution log. */
export const SAGA_METRICS = {
  compensationFailures: 'CompensationFailures',
  unexpectedExecutionFailures: 'UnexpectedExecutionFailures',
} as const;

const EXECUTION_FAILED = 'ExecutionFailed';

export interface TicketingAlarmsProps {
  /** Dead-letter queues by a readable name; each gets a "not empty" alarm. */
  readonly deadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
  readonly stateMachine: sfn.IStateMachine;
  /** The state machine's execution log (level ALL, with execution data). */
  readonly executionLogGroup: logs.ILogGroup;
  readonly httpApi: apigwv2.IHttpApi;
  /**
   * Where alarms notify; subscribe an email, chat or paging endpoint to it.
   * @default - a new topic
   */
  readonly topic?: sns.ITopic;
  /**
   * 5xx responses within five minutes that raise the API alarm.
   * @default 1
   */
  readonly api5xxThreshold?: number;
}

/**
 * The alarms that mean something needs a person, all notifying one topic:
 * a dead letter anywhere; a compensation or confirmation that gave up; an
 * execution that failed for any other reason than a handled business
 * failure (PurchaseFailed: seats taken, card declined... is the saga
 * working); an execution that timed out; the API answering 5xx.
 *
 * Step Functions' own ExecutionsFailed metric counts every business failure
 * too, so the execution alarms use metric filters on the execution log,
 * which names each execution's error. The two filters are disjoint: an
 * escalation raises exactly one alarm.
 */
export class TicketingAlarms extends Construct {
  public readonly topic: sns.ITopic;
  public readonly deadLetterQueueAlarms: Readonly<Record<string, cloudwatch.Alarm>>;
  public readonly compensationFailedAlarm: cloudwatch.Alarm;
  public readonly unexpectedFailureAlarm: cloudwatch.Alarm;
  public readonly executionTimedOutAlarm: cloudwatch.Alarm;
  public readonly api5xxAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: TicketingAlarmsProps) {
    super(scope, id);
    this.topic = props.topic ?? this.createTopic();
    const oneMinute = Duration.minutes(1);

    this.deadLetterQueueAlarms = Object.fromEntries(
      Object.entries(props.deadLetterQueues).map(([name, queue]) => [
        name,
        this.alarm(`${name}DeadLetterQueueNotEmpty`, {
          metric: queue.metricApproximateNumberOfMessagesVisible({ period: oneMinute, statistic: cloudwatch.Stats.MAXIMUM }),
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          alarmDescription: `Messages wait in the ${name} dead-letter queue: inspect them, fix the cause, then redrive.`,
        }),
      ]),
    );

    const compensationFailures = this.executionFailureMetric(
      props.executionLogGroup,
      'CompensationFailuresFilter',
      SAGA_METRICS.compensationFailures,
      logs.FilterPattern.any(...ESCALATION_ERRORS.map((error) => logs.FilterPattern.stringValue('$.details.error', '=', error))),
    );
    this.compensationFailedAlarm = this.alarm('CompensationFailed', {
      metric: compensationFailures.metric({ period: oneMinute, statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription:
        'A purchase saga gave up on a compensation or on the confirmation: a charge may be unsettled or seats held. Run npm run inspect on the purchase and settle it by hand (the execution ended in a Fail state, which a redrive cannot resume).',
    });

    const unexpectedFailures = this.executionFailureMetric(
      props.executionLogGroup,
      'UnexpectedFailuresFilter',
      SAGA_METRICS.unexpectedExecutionFailures,
      logs.FilterPattern.all(
        ...[...EXPECTED_FAILURE_ERRORS, ...ESCALATION_ERRORS].map((error) => logs.FilterPattern.stringValue('$.details.error', '!=', error)),
      ),
    );
    this.unexpectedFailureAlarm = this.alarm('UnexpectedExecutionFailure', {
      metric: unexpectedFailures.metric({ period: oneMinute, statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription: 'A purchase saga execution failed with an error the saga does not handle (not a business failure). Inspect the execution.',
    });

    this.executionTimedOutAlarm = this.alarm('ExecutionTimedOut', {
      metric: props.stateMachine.metricTimedOut({ period: oneMinute, statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription: 'A purchase saga execution hit its timeout: its seats stay held until the hold expires. Inspect and redrive it.',
    });

    this.api5xxAlarm = this.alarm('Api5xx', {
      metric: props.httpApi.metricServerError({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: props.api5xxThreshold ?? 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription: 'The buyer API answered 5xx. Read the access log and the API functions’ logs.',
    });
  }

  /** Counts ExecutionFailed entries of the execution log whose error matches `errorPattern`. */
  private executionFailureMetric(
    logGroup: logs.ILogGroup,
    id: string,
    metricName: string,
    errorPattern: logs.JsonPattern,
  ): logs.MetricFilter {
    return new logs.MetricFilter(this, id, {
      logGroup,
      filterPattern: logs.FilterPattern.all(logs.FilterPattern.stringValue('$.type', '=', EXECUTION_FAILED), errorPattern),
      metricNamespace: metricsNamespace(this),
      metricName,
      metricValue: '1',
    });
  }

  private alarm(id: string, props: Omit<cloudwatch.AlarmProps, 'evaluationPeriods'>): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      ...props,
    });
    alarm.addAlarmAction(new cloudwatchActions.SnsAction(this.topic));
    return alarm;
  }

  private createTopic(): sns.Topic {
    const topic = new sns.Topic(this, 'Topic', { displayName: 'Ticketing alarms', enforceSSL: true });
    // The topic policy replaces SNS's default one, so CloudWatch alarms of this account are allowed explicitly.
    const stack = Stack.of(this);
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    return topic;
  }
}

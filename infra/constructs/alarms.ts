import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface TicketingAlarmsProps {
  /** Dead-letter queues by a readable name; each gets a "not empty" alarm. */
  readonly deadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
  readonly stateMachine: sfn.IStateMachine;
  readonly httpApi: apigwv2.IHttpApi;
  /**
   * Where alarms notify; subscribe an email, chat or paging endpoint to it.
   * @default - a new topic
   */
  readonly topic?: sns.ITopic;
  /**
   * Share of requests answered 5xx, in percent, that counts as a bad minute.
   * @default 5
   */
  readonly api5xxPercent?: number;
  /**
   * An e-mail address subscribed to the topic; AWS sends it a confirmation link first.
   * @default - no subscription
   */
  readonly email?: string;
}

/** Minimum requests a minute the API 5xx rate is computed over. */
const API_5XX_MIN_REQUESTS = 20;

/** Bad minutes out of the last few that page a person for a rate: a sustained fault, not a blip. */
export const SUSTAINED = { evaluationPeriods: 5, datapointsToAlarm: 3 } as const;

/**
 * The alarms that mean something needs a person, all notifying one topic:
 * a dead letter anywhere; a purchase saga execution that FAILED, TIMED_OUT
 * or was ABORTED; the API answering 5xx.
 *
 * A business rejection (seats taken, card declined) ends in a SUCCEEDED
 * execution whose output names the outcome, so Step Functions' own
 * execution metrics count only what the machine could not settle: the
 * first one raises the alarm. The API's 5xx rate pages only when it
 * lasts (SUSTAINED): buyers retry, and one bad minute of an on-sale is not
 * yet an incident.
 */
export class TicketingAlarms extends Construct {
  public readonly topic: sns.ITopic;
  public readonly deadLetterQueueAlarms: Readonly<Record<string, cloudwatch.Alarm>>;
  public readonly executionNeedsAPersonAlarm: cloudwatch.Alarm;
  public readonly api5xxAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: TicketingAlarmsProps) {
    super(scope, id);
    this.topic = props.topic ?? this.createTopic();
    if (props.email !== undefined) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    const oneMinute = Duration.minutes(1);

    this.deadLetterQueueAlarms = Object.fromEntries(
      Object.entries(props.deadLetterQueues).map(([name, queue]) => [
        name,
        this.alarm(`${name}DeadLetterQueueNotEmpty`, {
          metric: queue.metricApproximateNumberOfMessagesVisible({ period: oneMinute, statistic: cloudwatch.Stats.MAXIMUM }),
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          // A dead letter stays until someone acts, so the first datapoint is already a sustained condition.
          alarmDescription: `Messages wait in the ${name} dead-letter queue: every retry is spent, and they stay there until someone acts. Inspect them, fix the cause, then redrive.`,
        }),
      ]),
    );

    const sum = { period: oneMinute, statistic: cloudwatch.Stats.SUM };
    this.executionNeedsAPersonAlarm = this.alarm('ExecutionNeedsAPerson', {
      metric: new cloudwatch.MathExpression({
        expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
        usingMetrics: {
          failed: props.stateMachine.metricFailed(sum),
          timedOut: props.stateMachine.metricTimedOut(sum),
          aborted: props.stateMachine.metricAborted(sum),
        },
        label: 'Executions that need a person',
        period: oneMinute,
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription:
        'A purchase saga execution FAILED, TIMED_OUT or was ABORTED. Fires on the first: transient faults are retried inside the saga, so each one is a purchase no retry could settle, and it waits for a person. A step kept failing through all its retries, so a charge or seats may be unsettled. List them with npm run executions -- --status NEEDS_A_PERSON, read one with npm run inspect -- <purchaseId>, fix the cause, then npm run redrive -- <purchaseId> resumes it in the step that gave up.',
    });

    const requests = props.httpApi.metricCount(sum);
    this.api5xxAlarm = this.alarm('Api5xx', {
      metric: new cloudwatch.MathExpression({
        // Over at least API_5XX_MIN_REQUESTS, so a lone 5xx in a quiet minute is not a 100 % error rate.
        expression: `100 * FILL(errors, 0) / IF(FILL(requests, 0) > ${API_5XX_MIN_REQUESTS}, FILL(requests, 0), ${API_5XX_MIN_REQUESTS})`,
        usingMetrics: { errors: props.httpApi.metricServerError(sum), requests },
        label: 'Requests answered 5xx (%)',
        period: oneMinute,
      }),
      threshold: props.api5xxPercent ?? 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      ...SUSTAINED,
      alarmDescription: `The buyer API answered 5xx to ${props.api5xxPercent ?? 5} % of requests or more in ${SUSTAINED.datapointsToAlarm} of the last ${SUSTAINED.evaluationPeriods} minutes: a sustained fault, not a blip a buyer's retry absorbs. Read the access log and the API functions' logs.`,
    });
  }

  /** Fires on the first breaching datapoint unless the props say otherwise: most of these are already a state, not a rate. */
  private alarm(id: string, props: Omit<cloudwatch.AlarmProps, 'evaluationPeriods'> & { evaluationPeriods?: number }): cloudwatch.Alarm {
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

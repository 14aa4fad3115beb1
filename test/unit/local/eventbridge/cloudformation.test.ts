import { eventBridgeModelFromTemplate } from '#local/eventbridge/cloudformation';
import { EventBridgeConfigError } from '#local/eventbridge/errors';

const BUS_ARN = 'arn:aws:events:us-east-1:000000000000:event-bus/ticketing';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:ProjectPurchaseStatus';
const DLQ_ARN = 'arn:aws:sqs:us-east-1:000000000000:ProjectionDlq';

describe('eventBridgeModelFromTemplate', () => {
  test('reads buses, rules and archives with local physical names', () => {
    // Prepare
    const resources = {
      TicketingBus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'ticketing', Description: 'Domain events', Tags: [{ Key: 'app', Value: 'saga' }] } },
      PurchaseStatusRule: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventBusName: 'ticketing',
          EventPattern: { source: ['ticketing.orders'] },
          State: 'ENABLED',
          Targets: [{ Id: 'Target0', Arn: FUNCTION_ARN, RetryPolicy: { MaximumRetryAttempts: 3 }, DeadLetterConfig: { Arn: DLQ_ARN } }],
        },
      },
      // As CDK synthesizes it: KmsKeyIdentifier "" stands for the AWS-owned key.
      TicketingArchive: { Type: 'AWS::Events::Archive', Properties: { SourceArn: BUS_ARN, RetentionDays: 30, KmsKeyIdentifier: '' } },
      PurchasesTable: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'x' } },
    };

    // Act
    const model = eventBridgeModelFromTemplate(resources);

    // Assess
    expect(model).toEqual({
      buses: [{ Name: 'ticketing', Description: 'Domain events' }],
      rules: [
        {
          Name: 'PurchaseStatusRule',
          EventBusName: 'ticketing',
          EventPattern: { source: ['ticketing.orders'] },
          State: 'ENABLED',
          Targets: [{ Id: 'Target0', Arn: FUNCTION_ARN, RetryPolicy: { MaximumRetryAttempts: 3 }, DeadLetterConfig: { Arn: DLQ_ARN } }],
        },
      ],
      archives: [{ ArchiveName: 'TicketingArchive', EventSourceArn: BUS_ARN, RetentionDays: 30 }],
    });
  });

  test.each([
    ['a scheduled rule', { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(1 minute)' } }, 'ScheduleExpression'],
    ['a target option the local bus cannot honour', { Type: 'AWS::Events::Rule', Properties: { EventPattern: {}, Targets: [{ Id: 't', Arn: DLQ_ARN, SqsParameters: { MessageGroupId: 'g' } }] } }, 'SqsParameters'],
    ['a bus-level dead-letter queue', { Type: 'AWS::Events::EventBus', Properties: { Name: 'b', DeadLetterConfig: { Arn: DLQ_ARN } } }, 'DeadLetterConfig'],
    ['an unsupported AWS::Events type', { Type: 'AWS::Events::ApiDestination', Properties: {} }, 'AWS::Events::ApiDestination is not supported'],
  ])('%s is a startup error naming it', (_title, resource, named) => {
    // Act
    const read = () => eventBridgeModelFromTemplate({ Offending: resource });

    // Assess
    expect(read).toThrow(EventBridgeConfigError);
    expect(read).toThrow(named);
    expect(read).toThrow('Offending');
  });
});

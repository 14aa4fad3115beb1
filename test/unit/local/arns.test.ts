import {
  eventArchiveNameOf,
  eventBusNameOf,
  eventRuleArn,
  executionArnFor,
  lambdaFunctionNameOf,
  queueNameOf,
  sqsQueueUrl,
  stateMachineArn,
  stateMachineArnOfExecution,
} from '#local/arns';

describe('local ARNs', () => {
  it.each([
    ['a local URL', 'http://127.0.0.1:4566/000000000000/purchases'],
    ['an AWS URL', 'https://sqs.us-east-1.amazonaws.com/123456789012/purchases'],
    ['an ARN', 'arn:aws:sqs:us-east-1:000000000000:purchases'],
  ])('finds the queue name in %s', (_case, reference) => {
    // Act
    const name = queueNameOf(reference);

    // Assess
    expect(name).toBe('purchases');
  });

  it('builds a queue URL on the local endpoint whatever its trailing slash', () => {
    expect(sqsQueueUrl('http://127.0.0.1:9324/', 'purchases')).toBe('http://127.0.0.1:9324/000000000000/purchases');
  });

  it.each([
    ['a name', 'CreatePurchase'],
    ['a qualified name', 'CreatePurchase:live'],
    ['an ARN', 'arn:aws:lambda:us-east-1:000000000000:function:CreatePurchase'],
    ['a qualified ARN', 'arn:aws:lambda:us-east-1:000000000000:function:CreatePurchase:3'],
  ])('finds the function name in %s', (_case, reference) => {
    expect(lambdaFunctionNameOf(reference)).toBe('CreatePurchase');
  });

  it('keeps the short rule ARN on the default bus and names a custom bus', () => {
    expect(eventRuleArn('default', 'Sweep')).toBe('arn:aws:events:us-east-1:000000000000:rule/Sweep');
    expect(eventRuleArn('ticketing', 'Sweep')).toBe('arn:aws:events:us-east-1:000000000000:rule/ticketing/Sweep');
  });

  it('reads bus and archive names from their ARNs, and takes a bus name as it is', () => {
    expect(eventBusNameOf('arn:aws:events:us-east-1:000000000000:event-bus/ticketing')).toBe('ticketing');
    expect(eventBusNameOf('ticketing')).toBe('ticketing');
    expect(eventArchiveNameOf('arn:aws:events:us-east-1:000000000000:archive/TicketingArchive')).toBe('TicketingArchive');
    expect(eventArchiveNameOf('arn:aws:events:us-east-1:000000000000:event-bus/ticketing')).toBeUndefined();
  });

  it('goes from a state machine to its execution and back', () => {
    // Prepare
    const machine = stateMachineArn('PurchaseSaga');

    // Act
    const execution = executionArnFor(machine, 'p-1');

    // Assess
    expect(execution).toBe('arn:aws:states:us-east-1:000000000000:execution:PurchaseSaga:p-1');
    expect(stateMachineArnOfExecution(execution)).toBe(machine);
    expect(stateMachineArnOfExecution(machine)).toBeUndefined();
  });
});

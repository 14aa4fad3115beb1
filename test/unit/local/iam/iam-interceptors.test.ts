import { functionAccessKeyId, UNRESTRICTED_ACCESS_KEY_ID } from '#local/iam/function-principals';
import { createIamEnforcement } from '#local/iam/iam-interceptors';
import type { Forward, Interceptor } from '#local/proxy/aws-json-proxy';

const ACCOUNT = '000000000000';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/GetPurchaseRole`;
const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Purchases`;
const QUEUE_URL = `http://127.0.0.1:9324/${ACCOUNT}/PurchaseQueue`;
const MACHINE = `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:Saga`;
const BUS = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/Bus`;

const enforcement = createIamEnforcement({
  functions: [{ name: 'GetPurchase', roleArn: ROLE_ARN }, { name: 'Roleless' }],
  roles: [
    {
      name: 'GetPurchaseRole',
      arn: ROLE_ARN,
      awsManagedPolicyArns: [],
      policyDocuments: [
        {
          Statement: [
            { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE },
            { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:PurchaseQueue` },
            { Effect: 'Allow', Action: 'states:StartExecution', Resource: MACHINE },
            { Effect: 'Allow', Action: 'events:PutEvents', Resource: BUS, Condition: { StringEquals: { 'events:source': 'ticketing.orders', 'events:detail-type': 'PurchaseRequested.v1' } } },
          ],
        },
      ],
    },
  ],
});

const signedBy = (accessKeyId: string) => ({ authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261207/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=abc` });

/** Calls the interceptor and says whether the request reached the service, and what came back. */
const call = async (interceptor: Interceptor, operation: string, body: unknown, accessKeyId = functionAccessKeyId({ name: 'GetPurchase' })) => {
  let forwarded = false;
  const forward: Forward = async () => {
    forwarded = true;
    return { status: 200, headers: {}, body: Buffer.from('{}') };
  };
  const response = await interceptor({ operation, body: JSON.stringify(body), headers: signedBy(accessKeyId) }, forward);
  return { forwarded, status: response.status, error: forwarded ? undefined : (JSON.parse(response.body.toString('utf8')) as { __type: string; message: string }) };
};

describe('IAM enforcement in front of the services the functions call', () => {
  it('passes on a DynamoDB call the role allows', async () => {
    expect(await call(enforcement.dynamodb, 'GetItem', { TableName: 'Purchases', Key: { purchaseId: { S: 'p' } } })).toMatchObject({ forwarded: true });
  });

  it("answers a DynamoDB call the role does not allow with DynamoDB's AccessDeniedException, naming role, function, action and resource", async () => {
    const outcome = await call(enforcement.dynamodb, 'Scan', { TableName: 'Purchases' });

    expect(outcome).toEqual({
      forwarded: false,
      status: 400,
      error: {
        __type: 'com.amazonaws.dynamodb.v20120810#AccessDeniedException',
        message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/GetPurchaseRole/GetPurchase is not authorized to perform: dynamodb:Scan on resource: ${TABLE} because no identity-based policy allows the dynamodb:Scan action`,
      },
    });
  });

  it('checks SQS calls against the queue the URL names', async () => {
    expect((await call(enforcement.sqs, 'SendMessage', { QueueUrl: QUEUE_URL, MessageBody: '{}' })).forwarded).toBe(true);
    expect(await call(enforcement.sqs, 'SendMessage', { QueueUrl: `http://127.0.0.1:9324/${ACCOUNT}/OtherQueue`, MessageBody: '{}' })).toMatchObject({ forwarded: false, error: { __type: 'AccessDeniedException' } });
    expect((await call(enforcement.sqs, 'DeleteMessage', { QueueUrl: QUEUE_URL, ReceiptHandle: 'r' })).forwarded).toBe(false);
  });

  it('checks Step Functions calls against the state machine', async () => {
    expect((await call(enforcement.stepFunctions, 'StartExecution', { stateMachineArn: MACHINE, name: 'p' })).forwarded).toBe(true);
    expect(await call(enforcement.stepFunctions, 'StopExecution', { executionArn: `arn:aws:states:us-east-1:${ACCOUNT}:execution:Saga:p` })).toMatchObject({
      forwarded: false,
      error: { __type: 'AccessDeniedException' },
    });
  });

  it('refuses a PutEvents batch when one entry is an event the role may not publish', async () => {
    const allowed = { Source: 'ticketing.orders', DetailType: 'PurchaseRequested.v1', EventBusName: 'Bus', Detail: '{}' };

    expect((await call(enforcement.eventBridge, 'PutEvents', { Entries: [allowed] })).forwarded).toBe(true);
    expect((await call(enforcement.eventBridge, 'PutEvents', { Entries: [allowed, { ...allowed, DetailType: 'PurchaseConfirmed.v1' }] })).error?.message).toContain(
      `is not authorized to perform: events:PutEvents on resource: ${BUS}`,
    );
  });

  it('denies everything to a function without a role', async () => {
    const outcome = await call(enforcement.dynamodb, 'GetItem', { TableName: 'Purchases' }, functionAccessKeyId({ name: 'Roleless' }));

    expect(outcome.error?.message).toContain('assumed-role/none/Roleless');
  });

  it('leaves the unrestricted key of the tools and tests alone', async () => {
    expect((await call(enforcement.dynamodb, 'Scan', { TableName: 'Purchases' }, UNRESTRICTED_ACCESS_KEY_ID)).forwarded).toBe(true);
  });

  it('refuses a key that is no function of the template', async () => {
    expect(await call(enforcement.dynamodb, 'GetItem', { TableName: 'Purchases' }, 'someone-else')).toMatchObject({ forwarded: false, error: { __type: 'UnrecognizedClientException' } });
  });
});

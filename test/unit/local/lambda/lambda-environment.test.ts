import { functionAccessKeyId } from '#local/iam/function-principals';
import { functionEnvironment, localServiceEnvironment } from '#local/lambda/lambda-environment';
import type { LocalFunction } from '#local/template/local-app';

const fn: LocalFunction = {
  logicalId: 'GetPurchase',
  name: 'GetPurchase',
  arn: 'arn:aws:lambda:us-east-1:000000000000:function:GetPurchase',
  handler: 'index.handler',
  codeDir: '/tmp/code',
  runtime: 'nodejs24.x',
  environment: { AWS_ACCESS_KEY_ID: 'from-the-template' },
  timeoutSeconds: 3,
  memoryMb: 128,
};

describe("a function's environment", () => {
  it('signs with an access key of its own, which the runtime maps to its role and DynamoDB Local accepts', () => {
    const environment = functionEnvironment(fn, localServiceEnvironment({}), 1);

    expect(environment.AWS_ACCESS_KEY_ID).toBe(functionAccessKeyId(fn));
    expect(functionAccessKeyId(fn)).not.toBe(functionAccessKeyId({ name: 'OtherFunction' }));
    // DynamoDB Local accepts keys of letters and digits only.
    expect(functionAccessKeyId({ name: 'my-function_1' })).toMatch(/^[A-Za-z0-9]+$/);
  });
});

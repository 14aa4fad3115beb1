import { compileRolePolicy, type AuthorizationRequest } from '#local/iam/role-policy';
import { PolicyDocumentError } from '#local/iam/policy-document';

const TABLE = 'arn:aws:dynamodb:us-east-1:000000000000:table/Purchases';
const BUS = 'arn:aws:events:us-east-1:000000000000:event-bus/Bus';

const roleWith = (...statements: unknown[]) =>
  compileRolePolicy({ name: 'Role', policyDocuments: [{ Version: '2012-10-17', Statement: statements }], awsManagedPolicyArns: [] });

const context = (entries: Record<string, string[]>) => new Map(Object.entries(entries));

describe('a role policy compiled from its documents', () => {
  it('allows an action a statement names on its resource', () => {
    const authorize = roleWith({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE });

    expect(authorize({ action: 'dynamodb:GetItem', resource: TABLE })).toEqual({ allowed: true });
  });

  it('refuses an action no statement names, saying no identity-based policy allows it', () => {
    const authorize = roleWith({ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: TABLE });

    expect(authorize({ action: 'dynamodb:Scan', resource: TABLE })).toEqual({ allowed: false, because: 'because no identity-based policy allows the dynamodb:Scan action' });
  });

  it('matches action wildcards case-insensitively and resource wildcards exactly', () => {
    const authorize = roleWith({ Effect: 'Allow', Action: 'DynamoDB:Get*', Resource: `${TABLE}/index/*` });

    expect(authorize({ action: 'dynamodb:GetItem', resource: `${TABLE}/index/PendingStart` }).allowed).toBe(true);
    expect(authorize({ action: 'dynamodb:GetItem', resource: TABLE }).allowed).toBe(false);
    expect(authorize({ action: 'dynamodb:GetItem', resource: `${TABLE.replace('Purchases', 'purchases')}/index/PendingStart` }).allowed).toBe(false);
  });

  it('lets an explicit Deny win over an Allow', () => {
    const authorize = roleWith({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }, { Effect: 'Deny', Action: 'dynamodb:DeleteItem', Resource: TABLE });

    expect(authorize({ action: 'dynamodb:DeleteItem', resource: TABLE })).toEqual({ allowed: false, because: 'with an explicit deny in an identity-based policy' });
    expect(authorize({ action: 'dynamodb:PutItem', resource: TABLE }).allowed).toBe(true);
  });

  describe('with the attribute condition of a reader that may not see the whole item', () => {
    const authorize = roleWith({
      Effect: 'Allow',
      Action: 'dynamodb:GetItem',
      Resource: TABLE,
      Condition: { 'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['purchaseId', 'status'] }, StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' } },
    });
    const read = (attributes: string[], select: string): AuthorizationRequest => ({
      action: 'dynamodb:GetItem',
      resource: TABLE,
      context: context({ 'dynamodb:attributes': attributes, 'dynamodb:select': [select] }),
    });

    it('allows a read of listed attributes', () => {
      expect(authorize(read(['purchaseId', 'status'], 'SPECIFIC_ATTRIBUTES')).allowed).toBe(true);
    });

    it('refuses a read that projects an attribute not listed', () => {
      expect(authorize(read(['purchaseId', 'paymentToken'], 'SPECIFIC_ATTRIBUTES')).allowed).toBe(false);
    });

    it('refuses a read of the whole item', () => {
      expect(authorize(read(['purchaseId'], 'ALL_ATTRIBUTES')).allowed).toBe(false);
    });
  });

  describe('with the event condition of a publisher', () => {
    const authorize = roleWith({
      Effect: 'Allow',
      Action: 'events:PutEvents',
      Resource: BUS,
      Condition: { StringEquals: { 'events:source': ['ticketing.orders'], 'events:detail-type': ['PurchaseFailed.v1'] } },
    });
    const entry = (source: string, detailType: string): AuthorizationRequest => ({
      action: 'events:PutEvents',
      resource: BUS,
      context: context({ 'events:source': [source], 'events:detail-type': [detailType] }),
    });

    it('allows its own event', () => {
      expect(authorize(entry('ticketing.orders', 'PurchaseFailed.v1')).allowed).toBe(true);
    });

    it('refuses another detail-type or source', () => {
      expect(authorize(entry('ticketing.orders', 'PurchaseConfirmed.v1')).allowed).toBe(false);
      expect(authorize(entry('ticketing.billing', 'PurchaseFailed.v1')).allowed).toBe(false);
    });

    it('refuses an entry without the keys the condition needs', () => {
      expect(authorize({ action: 'events:PutEvents', resource: BUS }).allowed).toBe(false);
    });
  });

  it('fails closed on a condition operator it cannot evaluate, naming the operator', () => {
    const authorize = roleWith({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE, Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': '300' } } });

    expect(authorize({ action: 'dynamodb:GetItem', resource: TABLE })).toEqual({
      allowed: false,
      because: 'because the local runtime cannot evaluate the condition operator NumericLessThan of the statement that would allow it',
    });
  });

  it('refuses to start with a statement it cannot evaluate faithfully', () => {
    expect(() => roleWith({ Effect: 'Allow', NotAction: 'dynamodb:Scan', Resource: TABLE })).toThrow(PolicyDocumentError);
  });

  it('ignores the AWS managed policies that only grant logs and traces, and refuses others it cannot read', () => {
    const basic = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
    const unknown = 'arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess';

    expect(() => compileRolePolicy({ name: 'Role', policyDocuments: [], awsManagedPolicyArns: [basic] })).not.toThrow();
    expect(() => compileRolePolicy({ name: 'Role', policyDocuments: [], awsManagedPolicyArns: [unknown] })).toThrow(`the AWS managed policies ${unknown} are not in the template`);
  });
});

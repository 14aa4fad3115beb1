import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STACK_NAME } from '#infra/outputs';
import { memoryLogSink } from '#local/lambda/function-logs';
import { CDK_OUT_DIR } from '#local/synthesized-template';
import { DEMO_CONCERT_ID, useLocalRuntime } from '#test/e2e/support/runtime';
import { placePurchase } from '#test/e2e/support/purchases';

/**
 * The runtime enforces what the template grants: with one grant removed from
 * one function's role, that function's call fails with AccessDeniedException
 * on the laptop, as it would after a deployment, and the other functions,
 * whose grants are intact, work.
 */

interface Statement {
  Action: string | string[];
  Resource: unknown;
  [key: string]: unknown;
}
interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}
type Template = { Resources: Record<string, Resource> };

const REVOKED_ACTION = 'dynamodb:GetItem';

const logicalIdOf = (template: Template, prefix: string, type: string): string => {
  const id = Object.entries(template.Resources).find(([candidate, resource]) => candidate.startsWith(prefix) && resource.Type === type)?.[0];
  if (!id) throw new Error(`The template has no ${type} whose logical id starts with ${prefix}`);
  return id;
};

/** The template with REVOKED_ACTION removed from every statement of get-purchase's role that grants it on the purchases table. */
const withoutGetPurchaseRead = (template: Template): Template => {
  const copy = structuredClone(template);
  const roleId = logicalIdOf(copy, 'ApiGetPurchaseRole', 'AWS::IAM::Role');
  const purchasesTable = JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(copy, 'DataPurchases', 'AWS::DynamoDB::Table'), 'Arn'] });
  const policies = Object.values(copy.Resources).filter((resource) => resource.Type === 'AWS::IAM::Policy' && JSON.stringify(resource.Properties.Roles) === JSON.stringify([{ Ref: roleId }]));
  let revoked = 0;
  for (const policy of policies) {
    const document = policy.Properties.PolicyDocument as { Statement: Statement[] };
    document.Statement = document.Statement.flatMap((statement) => {
      if (JSON.stringify(statement.Resource) !== purchasesTable) return [statement];
      const actions = [statement.Action].flat().filter((action) => action !== REVOKED_ACTION);
      revoked += [statement.Action].flat().length - actions.length;
      return actions.length === 0 ? [] : [{ ...statement, Action: actions }];
    });
  }
  if (revoked === 0) throw new Error(`get-purchase's role grants no ${REVOKED_ACTION} on the purchases table to revoke`);
  return copy;
};

/** A cloud assembly beside cdk.out: the same bundles (linked), the same manifests, the changed template. */
const assemblyWith = (change: (template: Template) => Template): string => {
  const directory = mkdtempSync(join(tmpdir(), 'ticketing-iam-'));
  for (const entry of readdirSync(CDK_OUT_DIR)) {
    if (entry.startsWith('asset.')) symlinkSync(join(CDK_OUT_DIR, entry), join(directory, entry));
    else if (entry.endsWith('.json') && entry !== `${STACK_NAME}.template.json`) copyFileSync(join(CDK_OUT_DIR, entry), join(directory, entry));
  }
  const template = JSON.parse(readFileSync(join(CDK_OUT_DIR, `${STACK_NAME}.template.json`), 'utf8')) as Template;
  writeFileSync(join(directory, `${STACK_NAME}.template.json`), JSON.stringify(change(template)));
  return directory;
};

const logs = memoryLogSink();
const assemblyDir = assemblyWith(withoutGetPurchaseRead);
const runtime = useLocalRuntime({ cdkOutDir: assemblyDir, synth: false, functionLogs: logs });

afterAll(() => rmSync(assemblyDir, { recursive: true, force: true }));

describe('a function whose role lost a grant', () => {
  it('gets AccessDeniedException for the call, while a function with its grants intact works', async () => {
    // Prepare
    const api = await runtime().apiAs('buyer-iam-0001');
    const purchaseId = await placePurchase(api, { concertId: DEMO_CONCERT_ID, seatIds: ['T-25'], paymentToken: 'tok_approve' });

    // Act
    const response = await api.get(`/purchases/${purchaseId}`);

    // Assess
    expect(response.status).toBe(500);
    const getPurchaseLogs = logs.lines.filter((line) => line.functionName.startsWith('ApiGetPurchase')).map((line) => line.message).join('\n');
    expect(getPurchaseLogs).toContain('AccessDeniedException');
    expect(getPurchaseLogs).toMatch(/assumed-role\/ApiGetPurchaseRole[^/]*\/ApiGetPurchase[^ ]* is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:[^ ]*:table\/DataPurchases/);
  });
});

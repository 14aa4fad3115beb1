import { z } from 'zod';
import type { TemplateResolver } from './intrinsics.ts';
import type { LocalFunction, LocalRole } from './local-app.ts';
import { TemplateError } from './template-errors.ts';
import type { CloudFormationTemplate } from './template-schema.ts';

/**
 * The role each function assumes, with every policy document the template
 * attaches to it: AWS::IAM::Policy and AWS::IAM::ManagedPolicy resources that
 * name the role, the role's inline Policies and its ManagedPolicyArns. The
 * documents are resolved here and interpreted by local/iam, which enforces
 * them on the functions' calls. Only roles that functions assume are read,
 * so a role nothing local uses cannot fail startup.
 */

const roleNamesSchema = z.array(z.string()).optional();
const inlinePoliciesSchema = z.array(z.looseObject({ PolicyDocument: z.unknown() })).optional();
const managedPolicyArnsSchema = z.array(z.string()).optional();

const roleNameOf = (roleArn: string) => roleArn.slice(roleArn.indexOf(':role/') + ':role/'.length).split('/').pop() ?? roleArn;

const parseResolved = <T>(schema: z.ZodType<T>, value: unknown, location: string): T => {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new TemplateError(`${location}: ${parsed.error.issues[0]?.message ?? 'unexpected value'}`);
  return parsed.data;
};

export const readFunctionRoles = (template: CloudFormationTemplate, resolver: TemplateResolver, functions: readonly LocalFunction[]): LocalRole[] => {
  const deployed = Object.entries(template.Resources).filter(([logicalId]) => resolver.isDeployed(logicalId));
  const roleIdByName = new Map<string, string>();
  for (const [logicalId, resource] of deployed) {
    if (resource.Type === 'AWS::IAM::Role') roleIdByName.set(String(resolver.resolve({ Ref: logicalId }, `Resources.${logicalId}`)), logicalId);
  }
  const attachedTo = (logicalId: string) => parseResolved(roleNamesSchema, resolver.property(logicalId, 'Roles'), `Resources.${logicalId}.Properties.Roles`) ?? [];
  const standalonePolicies = deployed.filter(([, resource]) => resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy');
  const managedPolicyByArn = new Map(
    deployed
      .filter(([, resource]) => resource.Type === 'AWS::IAM::ManagedPolicy')
      .map(([logicalId]) => [String(resolver.resolve({ Ref: logicalId }, `Resources.${logicalId}`)), logicalId] as const),
  );

  const roleArns = [...new Set(functions.flatMap((fn) => (fn.roleArn === undefined ? [] : [fn.roleArn])))];
  return roleArns.map((arn): LocalRole => {
    const name = roleNameOf(arn);
    const logicalId = roleIdByName.get(name);
    if (logicalId === undefined) throw new TemplateError(`Role ${arn}, which a function assumes, is not a role of this stack`);
    const location = `Resources.${logicalId}.Properties`;
    const inline = parseResolved(inlinePoliciesSchema, resolver.property(logicalId, 'Policies'), `${location}.Policies`) ?? [];
    const managedArns = parseResolved(managedPolicyArnsSchema, resolver.property(logicalId, 'ManagedPolicyArns'), `${location}.ManagedPolicyArns`) ?? [];
    const ofThisStack = managedArns.flatMap((policyArn) => managedPolicyByArn.get(policyArn) ?? []);
    const attached = standalonePolicies.filter(([policyId]) => ofThisStack.includes(policyId) || attachedTo(policyId).includes(name));
    return {
      logicalId,
      name,
      arn,
      policyDocuments: [
        ...inline.map((policy) => policy.PolicyDocument),
        ...attached.map(([policyId]) => resolver.property(policyId, 'PolicyDocument')),
      ],
      awsManagedPolicyArns: managedArns.filter((policyArn) => !managedPolicyByArn.has(policyArn)),
    };
  });
};

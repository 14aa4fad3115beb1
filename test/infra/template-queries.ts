import { Template } from 'aws-cdk-lib/assertions';
import { z } from 'zod';
import { synthesizeTemplate } from '#infra/synth';

/**
 * Reading the synthesized template in tests: one synth per test file (the
 * functions are not bundled; test/infra/synth.test.ts covers bundling),
 * then typed lookups by what a resource is rather than by its logical id.
 */
export const synthesizeForAssertions = (): Template =>
  Template.fromJSON(synthesizeTemplate({ bundle: false, validateTemplate: false }));

/** Some resource of the type has these properties (aws-cdk-lib/assertions matching, failures list the candidates). */
export const assertResourceWith = (template: Template, type: string, properties: unknown): void => {
  template.hasResourceProperties(type, properties);
};

export const assertResourceCount = (template: Template, type: string, count: number): void => {
  template.resourceCountIs(type, count);
};

const getAttSchema = z.object({ 'Fn::GetAtt': z.tuple([z.string(), z.string()]) });
const refSchema = z.object({ Ref: z.string() });

/** The logical id behind `{ "Fn::GetAtt": [id, attr] }` or `{ "Ref": id }`. */
export const referencedLogicalId = (value: unknown): string => {
  const getAtt = getAttSchema.safeParse(value);
  if (getAtt.success) return getAtt.data['Fn::GetAtt'][0];
  return refSchema.parse(value).Ref;
};

const functionSchema = z.object({
  Properties: z.object({
    Environment: z.object({ Variables: z.record(z.string(), z.unknown()) }),
    Timeout: z.number(),
    Role: z.unknown(),
    DeadLetterConfig: z.object({ TargetArn: z.unknown() }).optional(),
  }),
});
export type FunctionResource = z.infer<typeof functionSchema> & { logicalId: string };

/** Every Lambda function, keyed by its handler name (POWERTOOLS_SERVICE_NAME). */
export const functionsByHandler = (template: Template): Map<string, FunctionResource> => {
  const functions = new Map<string, FunctionResource>();
  for (const [logicalId, resource] of Object.entries(template.findResources('AWS::Lambda::Function'))) {
    const parsed = functionSchema.parse(resource);
    functions.set(z.string().parse(parsed.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME), { ...parsed, logicalId });
  }
  return functions;
};

export const functionOf = (template: Template, handlerName: string): FunctionResource => {
  const found = functionsByHandler(template).get(handlerName);
  if (found === undefined) throw new Error(`No function for handler ${handlerName}`);
  return found;
};

/** The single resource of a type whose properties match, with its logical id. */
export const onlyResource = (template: Template, type: string, props?: unknown): { logicalId: string; resource: Record<string, unknown> } => {
  const matches = Object.entries(template.findResources(type, props === undefined ? undefined : { Properties: props }));
  if (matches.length !== 1) throw new Error(`Expected exactly one ${type}, found ${matches.length}`);
  const [logicalId, resource] = matches[0] as [string, Record<string, unknown>];
  return { logicalId, resource };
};

const policySchema = z.object({
  Properties: z.object({
    PolicyDocument: z.object({
      Statement: z.array(
        z.object({
          Effect: z.string(),
          Action: z.union([z.string(), z.array(z.string())]),
          Resource: z.unknown(),
          Condition: z.record(z.string(), z.record(z.string(), z.union([z.string(), z.array(z.string())]))).optional(),
        }),
      ),
    }),
    Roles: z.array(z.unknown()),
  }),
});

export interface Grant {
  readonly actions: readonly string[];
  readonly resources: readonly unknown[];
  /** Operator -> condition key -> values, as IAM writes them. */
  readonly conditions: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** The Allow statements of every policy attached to a role. */
export const grantsOfRole = (template: Template, roleLogicalId: string): Grant[] =>
  Object.values(template.findResources('AWS::IAM::Policy'))
    .map((policy) => policySchema.parse(policy).Properties)
    .filter((properties) => properties.Roles.some((role) => referencedLogicalId(role) === roleLogicalId))
    .flatMap((properties) => properties.PolicyDocument.Statement)
    .filter((statement) => statement.Effect === 'Allow')
    .map((statement) => ({
      actions: [statement.Action].flat(),
      resources: [statement.Resource].flat(),
      conditions: statement.Condition ?? {},
    }));

/** The logical ids of the resources a role may perform `action` on (GetAtt/Ref targets). */
export const resourcesAllowed = (template: Template, roleLogicalId: string, action: string): string[] =>
  grantsOfRole(template, roleLogicalId)
    .filter((grant) => grant.actions.includes(action))
    .flatMap((grant) => grant.resources)
    .flatMap((resource) => {
      const reference = getAttSchema.or(refSchema).safeParse(resource);
      return reference.success ? [referencedLogicalId(resource)] : [];
    });

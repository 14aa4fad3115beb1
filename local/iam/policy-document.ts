import { z } from 'zod';

/**
 * An identity-based policy document as the template holds it once its
 * intrinsics are resolved: statements with Effect, Action and Resource (a
 * string or a list each) and an optional Condition block.
 */

const stringOrList = z.union([z.string(), z.array(z.string())]).transform((value) => (Array.isArray(value) ? value : [value]));

const conditionValue = z.union([z.string(), z.number(), z.boolean()]).transform(String);

const conditionBlockSchema = z.record(z.string(), z.record(z.string(), z.union([conditionValue, z.array(conditionValue)]).transform((value) => (Array.isArray(value) ? value : [value]))));
export type ConditionBlock = z.infer<typeof conditionBlockSchema>;

const statementSchema = z
  .looseObject({
    Sid: z.string().optional(),
    Effect: z.enum(['Allow', 'Deny']),
    Action: stringOrList.optional(),
    NotAction: z.unknown().optional(),
    Resource: stringOrList.optional(),
    NotResource: z.unknown().optional(),
    Principal: z.unknown().optional(),
    Condition: conditionBlockSchema.optional(),
  })
  .refine((statement) => statement.NotAction === undefined && statement.NotResource === undefined, 'NotAction and NotResource are not evaluated locally: name the actions and resources')
  .refine((statement) => statement.Principal === undefined, 'an identity-based policy names no Principal')
  .refine((statement) => statement.Action !== undefined && statement.Resource !== undefined, 'a statement needs Action and Resource');

const policyDocumentSchema = z.looseObject({
  Version: z.string().optional(),
  Statement: z.union([statementSchema, z.array(statementSchema)]).transform((value) => (Array.isArray(value) ? value : [value])),
});

export interface PolicyStatement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly condition?: ConditionBlock;
}

export class PolicyDocumentError extends Error {
  override readonly name = 'PolicyDocumentError';
}

/** The statements of a document, or an error naming where the document does not parse. */
export const parsePolicyDocument = (document: unknown, where: string): PolicyStatement[] => {
  const parsed = policyDocumentSchema.safeParse(document);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new PolicyDocumentError(`${where}: ${issue?.path.map(String).join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  return parsed.data.Statement.map((statement) => ({
    ...(statement.Sid !== undefined && { sid: statement.Sid }),
    effect: statement.Effect,
    actions: statement.Action ?? [],
    resources: statement.Resource ?? [],
    ...(statement.Condition !== undefined && { condition: statement.Condition }),
  }));
};

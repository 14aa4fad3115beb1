import { z } from 'zod';

/**
 * The parts of a CloudFormation template the local runtime reads. Property
 * values stay `unknown` here: they may hold intrinsic functions, and each
 * resource's properties are parsed with their own schema after resolution.
 */
const templateResourceSchema = z.looseObject({
  Type: z.string().min(1),
  Properties: z.record(z.string(), z.unknown()).optional(),
  Condition: z.string().optional(),
});

const templateParameterSchema = z.looseObject({
  Type: z.string(),
  Default: z.unknown().optional(),
});

const templateOutputSchema = z.looseObject({
  Value: z.unknown(),
  Condition: z.string().optional(),
});

export const cloudFormationTemplateSchema = z.looseObject({
  Transform: z.unknown().optional(),
  Parameters: z.record(z.string(), templateParameterSchema).optional(),
  Mappings: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown()))).optional(),
  Conditions: z.record(z.string(), z.unknown()).optional(),
  Resources: z.record(z.string(), templateResourceSchema),
  Outputs: z.record(z.string(), templateOutputSchema).optional(),
});
export type CloudFormationTemplate = z.infer<typeof cloudFormationTemplateSchema>;

import { z } from 'zod';

/**
 * CloudFormation accepts some JSON-valued properties (an event pattern, a
 * redrive policy) either as an object or as JSON text. This schema accepts
 * both and validates the result with `schema`.
 */
export const jsonProperty = <T extends z.ZodType>(schema: T) =>
  z
    .union([
      z.string().transform((text, context): unknown => {
        try {
          const value: unknown = JSON.parse(text);
          return value;
        } catch {
          context.addIssue({ code: 'custom', message: 'is not valid JSON' });
          return z.NEVER;
        }
      }),
      z.unknown(),
    ])
    .pipe(schema);

import { z } from 'zod';

/** A value JSON can carry: what state inputs, outputs and task results are made of. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export const jsonValueSchema: z.ZodType<JsonValue> = z.json();

/** Parses a JSON text and checks it really is JSON data (no prototype tricks, no undefined). */
export const parseJson = (text: string): JsonValue => jsonValueSchema.parse(JSON.parse(text));

/**
 * A function's return value as Step Functions sees it: serialized to JSON, so
 * `undefined` becomes null and class instances become plain data.
 */
export const toJsonValue = (value: unknown): JsonValue =>
  value === undefined ? null : jsonValueSchema.parse(JSON.parse(JSON.stringify(value)));

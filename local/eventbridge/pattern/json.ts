/** A JSON object, as opposed to an array or a scalar. */
export const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The scalars a pattern can compare: JSON strings, numbers, booleans and null. */
export type JsonScalar = string | number | boolean | null;

export const isJsonScalar = (value: unknown): value is JsonScalar =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/**
 * The leaf values an event holds at one field. EventBridge "crushes" arrays
 * (nested ones too) so a field matches when any element does, and an object is
 * not a leaf: `exists` and value operators only see scalars.
 */
export const leafValues = (value: unknown): JsonScalar[] => {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(leafValues);
  return isJsonScalar(value) ? [value] : [];
};

/**
 * The objects an object pattern is tested against: the value itself, or any
 * object element of an array. When there is none, the pattern is tested
 * against an absent field, which only `exists: false` accepts.
 */
export const objectCandidates = (value: unknown): ReadonlyArray<Record<string, unknown> | undefined> => {
  if (isJsonObject(value)) return [value];
  if (Array.isArray(value)) {
    const objects = value.flat(Infinity).filter(isJsonObject);
    if (objects.length > 0) return objects;
  }
  return [undefined];
};

import { isJsonObject } from './pattern/json.ts';

/**
 * The JSONPath subset EventBridge targets use in InputPath and InputPathsMap:
 * `$`, `$.detail.state`, `$.detail-type` (dots take any other character),
 * `$['a.b']` and `$.resources[0]`.
 */
export type JsonPath = readonly (string | number)[];

export class JsonPathSyntaxError extends Error {
  override readonly name = 'JsonPathSyntaxError';
}

const BRACKETED = /^\[(?:(\d+)|'([^']*)'|"([^"]*)")\]/;
const DOTTED = /^\.([^.[\]]+)/;

export const parseJsonPath = (path: string): JsonPath => {
  if (!path.startsWith('$')) throw new JsonPathSyntaxError(`"${path}" must start with $`);
  const segments: Array<string | number> = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const dotted = DOTTED.exec(rest);
    const bracketed = dotted ? null : BRACKETED.exec(rest);
    const match = dotted ?? bracketed;
    if (!match) throw new JsonPathSyntaxError(`"${path}" is not a supported JSONPath`);
    const [whole, first, quoted, doubleQuoted] = match;
    if (dotted) segments.push(first ?? '');
    else segments.push(first !== undefined ? Number(first) : (quoted ?? doubleQuoted ?? ''));
    rest = rest.slice(whole.length);
  }
  return segments;
};

/** The value at a path, or undefined when any step is missing. */
export const readJsonPath = (root: unknown, path: JsonPath): unknown =>
  path.reduce<unknown>((node, segment) => {
    if (typeof segment === 'number') return Array.isArray(node) ? node[segment] : undefined;
    return isJsonObject(node) && Object.hasOwn(node, segment) ? node[segment] : undefined;
  }, root);

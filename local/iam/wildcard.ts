/**
 * IAM's wildcards in actions and resources: `*` matches any run of
 * characters (`/` and `:` included), `?` any one character. Everything else
 * is literal. Actions compare case-insensitively, resources exactly.
 */

const escapeLiteral = (text: string) => text.replace(/[.+^${}()|[\]\\]/g, '\\$&');

export const compileWildcard = (pattern: string, options: { readonly ignoreCase: boolean }): RegExp =>
  new RegExp(`^${pattern.split('').map((character) => (character === '*' ? '.*' : character === '?' ? '.' : escapeLiteral(character))).join('')}$`, options.ignoreCase ? 'is' : 's');

/** One test for a list of patterns, e.g. a statement's Action list. */
export const compileWildcards = (patterns: readonly string[], options: { readonly ignoreCase: boolean }): ((value: string) => boolean) => {
  if (patterns.includes('*')) return () => true;
  const expressions = patterns.map((pattern) => compileWildcard(pattern, options));
  return (value) => expressions.some((expression) => expression.test(value));
};

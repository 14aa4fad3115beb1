/**
 * EventBridge wildcard values: `*` matches zero or more characters, `\*` is a
 * literal asterisk, `\\` a literal backslash. AWS rejects consecutive
 * wildcards and a backslash before any other character, and so do we.
 */
export interface WildcardPattern {
  /** The literal text between wildcards; n wildcards give n + 1 pieces. */
  readonly pieces: readonly string[];
}

export class WildcardSyntaxError extends Error {
  override readonly name = 'WildcardSyntaxError';
}

export const parseWildcard = (source: string): WildcardPattern => {
  const pieces: string[] = [];
  let current = '';
  let previousWasWildcard = false;
  for (let index = 0; index < source.length; index++) {
    const char = source[index];
    if (char === '\\') {
      const escaped = source[index + 1];
      if (escaped !== '*' && escaped !== '\\') {
        throw new WildcardSyntaxError(`invalid escape at position ${index}: only \\* and \\\\ are allowed`);
      }
      current += escaped;
      index++;
      previousWasWildcard = false;
    } else if (char === '*') {
      if (previousWasWildcard) throw new WildcardSyntaxError(`consecutive wildcard characters at position ${index}`);
      pieces.push(current);
      current = '';
      previousWasWildcard = true;
    } else {
      current += char;
      previousWasWildcard = false;
    }
  }
  pieces.push(current);
  return { pieces };
};

/**
 * Anchored glob match with `*` only: the first piece must be a prefix, the last
 * a suffix, and the middle pieces must appear in order in between. Taking the
 * leftmost occurrence of each middle piece is always safe, so this is linear
 * in the value's length per piece and never backtracks.
 */
export const matchesWildcard = (pattern: WildcardPattern, value: string): boolean => {
  const { pieces } = pattern;
  const first = pieces[0] ?? '';
  if (pieces.length === 1) return value === first;
  const last = pieces[pieces.length - 1] ?? '';
  if (value.length < first.length + last.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  let cursor = first.length;
  const end = value.length - last.length;
  for (const piece of pieces.slice(1, -1)) {
    const found = value.indexOf(piece, cursor);
    if (found < 0 || found + piece.length > end) return false;
    cursor = found + piece.length;
  }
  return true;
};

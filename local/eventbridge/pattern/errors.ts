/**
 * A rule's event pattern that EventBridge would reject. The message names the
 * offending operator or field and its path, so the runtime can turn it into a
 * startup error a developer can act on.
 */
export class EventPatternError extends Error {
  override readonly name = 'EventPatternError';
  constructor(
    readonly reason: string,
    /** Dotted path of the field inside the pattern, e.g. `detail.state`. */
    readonly path: string,
  ) {
    super(path ? `Event pattern is not valid at "${path}": ${reason}` : `Event pattern is not valid: ${reason}`);
  }
}

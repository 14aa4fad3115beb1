/** Bad arguments: the command prints its usage and exits 2, having read and changed nothing. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * The command ran and cannot do what was asked (no rule to replay into, an
 * execution that cannot be redriven...): one clear line, exit 1.
 */
export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError';
}

/**
 * The Host headers a server on loopback answers to: its own names on its own
 * port. A page of another site that rebinds its DNS name to 127.0.0.1 still
 * sends that name, so checking the header stops DNS rebinding.
 */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'] as const;
const HTTP_DEFAULT_PORT = 80;

export const loopbackHostsOf = (port: number): ReadonlySet<string> =>
  new Set(LOOPBACK_NAMES.flatMap((name) => (port === HTTP_DEFAULT_PORT ? [name, `${name}:${port}`] : [`${name}:${port}`])));

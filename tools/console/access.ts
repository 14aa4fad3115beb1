import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { loopbackHostsOf } from '#tools/lib/loopback-hosts';

/**
 * Who may read the console. It listens on loopback, but a web page the
 * operator has open can still reach it: by DNS rebinding (a name of the
 * page's own that now resolves to 127.0.0.1) or by plain cross-site
 * requests. Against AWS it reads with the operator's credentials, so three
 * checks stand in front of everything it serves:
 *
 * - the Host header names this console (127.0.0.1, localhost or [::1] on
 *   its port): a rebound name is not one of them;
 * - the JSON API answers no request a browser marks as coming from another
 *   site or another origin;
 * - every request carries the secret of this start, which only the
 *   terminal that started it has seen: the printed URL hands it over once
 *   as a query parameter, and from then on it travels as an HttpOnly,
 *   SameSite=Strict cookie.
 */

export const LOGIN_PATH = '/login';
export const SECRET_PARAMETER = 'secret';
const SECRET_BYTES = 32;
/** Sites are compared without ports, so another local server is "same-site": only the console's own pages and typed URLs pass. */
const SITES_ALLOWED = new Set(['same-origin', 'none']);

export const OPEN_THE_PRINTED_URL = 'open the URL that npm run console (or npm start) printed: it carries the secret of this start';

/** A fresh secret for each start: a URL printed yesterday opens nothing today. */
export const newConsoleSecret = (): string => randomBytes(SECRET_BYTES).toString('base64url');

type AccessDecision =
  | { readonly kind: 'allow' }
  | { readonly kind: 'refuse'; readonly status: 401 | 403 | 421; readonly error: string }
  | { readonly kind: 'login'; readonly setCookie: string; readonly location: string };

export interface AccessRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
}

export type AccessGate = (request: AccessRequest) => AccessDecision;

/** Hashing first gives timingSafeEqual two buffers of one length, so the length of a guess leaks nothing either. */
const sameSecret = (given: string, secret: string): boolean =>
  timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(secret).digest());

const cookieValue = (header: string | undefined, name: string): string | undefined => {
  for (const pair of (header ?? '').split(';')) {
    const separator = pair.indexOf('=');
    if (separator > 0 && pair.slice(0, separator).trim() === name) return pair.slice(separator + 1).trim();
  }
  return undefined;
};

const refuse = (status: 401 | 403 | 421, error: string): AccessDecision => ({ kind: 'refuse', status, error });

export const createAccessGate = ({ port, secret }: { readonly port: number; readonly secret: string }): AccessGate => {
  const hosts = loopbackHostsOf(port);
  const origins = new Set([...hosts].map((host) => `http://${host}`));
  // Cookies ignore ports: the port in the name keeps two consoles on one machine from overwriting each other's.
  const cookieName = `ticketing-console-${port}`;

  return ({ method, url, headers }) => {
    if (!hosts.has((headers.host ?? '').toLowerCase())) return refuse(421, `this console answers only to 127.0.0.1:${port} or localhost:${port}`);

    if (url.pathname.startsWith('/api/')) {
      const site = headers['sec-fetch-site'];
      if (site !== undefined && !SITES_ALLOWED.has(site)) return refuse(403, 'the console API answers only its own pages');
      if (headers.origin !== undefined && !origins.has(headers.origin.toLowerCase())) return refuse(403, 'the console API answers only its own pages');
    }

    if (method === 'GET' && url.pathname === LOGIN_PATH) {
      const given = url.searchParams.get(SECRET_PARAMETER);
      if (given === null || !sameSecret(given, secret)) return refuse(401, `wrong or missing secret: ${OPEN_THE_PRINTED_URL}`);
      return { kind: 'login', setCookie: `${cookieName}=${secret}; HttpOnly; SameSite=Strict; Path=/`, location: '/' };
    }

    const cookie = cookieValue(headers.cookie, cookieName);
    if (cookie === undefined || !sameSecret(cookie, secret)) return refuse(401, `not signed in: ${OPEN_THE_PRINTED_URL}`);
    return { kind: 'allow' };
  };
};

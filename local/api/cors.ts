/**
 * The CORS handling of an HTTP API with a CorsConfiguration: API Gateway
 * answers preflight requests itself (no OPTIONS route needed), adds the
 * configured headers to other responses, and ignores CORS headers the
 * function returns.
 */
export interface CorsConfiguration {
  readonly allowOrigins?: readonly string[];
  readonly allowMethods?: readonly string[];
  readonly allowHeaders?: readonly string[];
  readonly exposeHeaders?: readonly string[];
  readonly maxAge?: number;
  readonly allowCredentials?: boolean;
}

const CORS_HEADER_PREFIX = 'access-control-';

const escapeRegExp = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** The Access-Control-Allow-Origin value for `origin`, or undefined when the origin is not allowed. */
export const allowedOrigin = (config: CorsConfiguration, origin: string | undefined): string | undefined => {
  if (!origin) return undefined;
  for (const allowed of config.allowOrigins ?? []) {
    if (allowed === '*') return config.allowCredentials ? origin : '*';
    // "https://*.example.com" allows any subdomain.
    const pattern = new RegExp(`^${allowed.split('*').map(escapeRegExp).join('[^/]+')}$`, 'i');
    if (pattern.test(origin)) return origin;
  }
  return undefined;
};

export const isPreflightRequest = (method: string, headers: Readonly<Record<string, string>>): boolean =>
  method === 'OPTIONS' && headers.origin !== undefined && headers['access-control-request-method'] !== undefined;

const joined = (values: readonly string[] | undefined) => (values && values.length > 0 ? values.join(',') : undefined);

const definedOnly = (headers: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined));

/** Headers of the answer to a preflight request; none when the origin is not allowed. */
export const preflightHeaders = (config: CorsConfiguration, headers: Readonly<Record<string, string>>): Record<string, string> => {
  const origin = allowedOrigin(config, headers.origin);
  if (!origin) return {};
  return definedOnly({
    'access-control-allow-origin': origin,
    'access-control-allow-methods': joined(config.allowMethods),
    'access-control-allow-headers': joined(config.allowHeaders),
    'access-control-max-age': config.maxAge === undefined ? undefined : String(config.maxAge),
    'access-control-allow-credentials': config.allowCredentials ? 'true' : undefined,
  });
};

/** The function's headers without its own CORS headers, plus the configured ones for an allowed origin. */
export const withCorsHeaders = (
  config: CorsConfiguration,
  requestOrigin: string | undefined,
  responseHeaders: Readonly<Record<string, string>>,
): Record<string, string> => {
  const withoutFunctionCors = Object.fromEntries(Object.entries(responseHeaders).filter(([name]) => !name.toLowerCase().startsWith(CORS_HEADER_PREFIX)));
  const origin = allowedOrigin(config, requestOrigin);
  if (!origin) return withoutFunctionCors;
  return {
    ...withoutFunctionCors,
    ...definedOnly({
      'access-control-allow-origin': origin,
      'access-control-expose-headers': joined(config.exposeHeaders),
      'access-control-allow-credentials': config.allowCredentials ? 'true' : undefined,
    }),
  };
};

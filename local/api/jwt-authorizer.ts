import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { issuerUrl, OPENID_CONFIGURATION_PATH } from '#local/auth/local-issuer';

/** An HTTP API JWT authorizer as the template declares it (AWS::ApiGatewayV2::Authorizer, AuthorizerType JWT). */
export interface JwtAuthorizerConfig {
  readonly issuer: string;
  readonly audience: readonly string[];
  /** e.g. ['$request.header.Authorization'] (the default). */
  readonly identitySource?: readonly string[];
}

/** What the authorizer reads a token from. Header names are lowercase. */
export interface AuthorizerRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly queryStringParameters: Readonly<Record<string, string>>;
}

export type AuthorizationResult =
  | { readonly allowed: true; readonly claims: Record<string, string>; readonly scopes: string[] | null }
  | { readonly allowed: false; readonly statusCode: 401 | 403; readonly reason: string };

export class UnsupportedIdentitySourceError extends Error {
  override readonly name = 'UnsupportedIdentitySourceError';
}

const DEFAULT_IDENTITY_SOURCE = '$request.header.Authorization';
/** API Gateway verifies RSA signatures only. */
const ACCEPTED_ALGORITHMS = ['RS256', 'RS384', 'RS512'];
const BEARER_PREFIX = /^Bearer\s+/i;

type TokenLocation = { readonly from: 'header' | 'querystring'; readonly name: string };

const parseIdentitySource = (source: string): TokenLocation => {
  const header = /^\$request\.header\.([A-Za-z0-9!#$%&'*+.^_`|~-]+)$/.exec(source);
  if (header?.[1]) return { from: 'header', name: header[1].toLowerCase() };
  const query = /^\$request\.querystring\.(.+)$/.exec(source);
  if (query?.[1]) return { from: 'querystring', name: query[1] };
  throw new UnsupportedIdentitySourceError(`Unsupported JWT identity source "${source}": use $request.header.<name> or $request.querystring.<name>`);
};

/**
 * Claims as API Gateway hands them to the function: every value a string,
 * arrays in its bracketed, space-separated form (e.g. "[admin staff]").
 */
const stringifyClaims = (payload: JWTPayload): Record<string, string> =>
  Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [
      name,
      typeof value === 'string' ? value
        : Array.isArray(value) ? `[${value.map(String).join(' ')}]`
        : typeof value === 'object' && value !== null ? JSON.stringify(value)
        : String(value),
    ]),
  );

const scopesOf = (payload: JWTPayload): string[] => {
  const raw = payload.scope ?? payload.scp;
  if (typeof raw === 'string') return raw.split(' ').filter((scope) => scope.length > 0);
  if (Array.isArray(raw)) return raw.filter((scope): scope is string => typeof scope === 'string');
  return [];
};

/** `aud` when present, otherwise `client_id`, must name one of the configured audiences. */
const hasAcceptedAudience = (payload: JWTPayload, audience: readonly string[]): boolean => {
  const claimed = payload.aud ?? payload.client_id;
  const values = typeof claimed === 'string' ? [claimed] : Array.isArray(claimed) ? claimed : [];
  return values.some((value) => typeof value === 'string' && audience.includes(value));
};

const deny = (statusCode: 401 | 403, reason: string): AuthorizationResult => ({ allowed: false, statusCode, reason });

const describeVerificationFailure = (error: unknown): string => {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const claim = typeof error === 'object' && error !== null ? (error as { claim?: unknown }).claim : undefined;
  if (code === 'ERR_JWT_EXPIRED') return 'the token has expired';
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && typeof claim === 'string') return `the token's ${claim} claim is not valid`;
  if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return 'the token signature is not valid';
  if (code === 'ERR_JWKS_NO_MATCHING_KEY') return 'no key of the issuer matches the token kid';
  if (code === 'ERR_JOSE_ALG_NOT_ALLOWED') return 'the token is not signed with an RSA algorithm';
  return 'the token could not be verified';
};

/**
 * The checks API Gateway's JWT authorizer makes, in its order: a token in the
 * identity source (alone or after "Bearer"), an RSA signature by a key of the
 * issuer matching `kid`, then `iss`, `aud`/`client_id`, `exp`, `nbf`, `iat`,
 * and the route's scopes. A bad token is 401; a good token without a
 * required scope is 403.
 */
export const createJwtAuthorizer = (config: JwtAuthorizerConfig, keys: JWTVerifyGetKey, now: () => number = Date.now) => {
  const sources = config.identitySource ?? [DEFAULT_IDENTITY_SOURCE];
  const location = parseIdentitySource(sources[0] ?? DEFAULT_IDENTITY_SOURCE);

  const tokenOf = (request: AuthorizerRequest): string | undefined => {
    const value = location.from === 'header' ? request.headers[location.name] : request.queryStringParameters[location.name];
    const token = value?.replace(BEARER_PREFIX, '').trim();
    return token ? token : undefined;
  };

  return {
    async authorize(request: AuthorizerRequest, routeScopes: readonly string[] = []): Promise<AuthorizationResult> {
      const token = tokenOf(request);
      if (!token) return deny(401, 'no token in the identity source');
      try {
        if (!decodeProtectedHeader(token).kid) return deny(401, 'the token has no kid');
      } catch {
        return deny(401, 'the token is not a JWT');
      }
      const currentDate = new Date(now());
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer: config.issuer,
          algorithms: ACCEPTED_ALGORITHMS,
          requiredClaims: ['exp'],
          currentDate,
        }));
      } catch (error) {
        return deny(401, describeVerificationFailure(error));
      }
      if (!hasAcceptedAudience(payload, config.audience)) return deny(401, 'the token does not have a valid audience');
      if (payload.iat !== undefined && payload.iat * 1000 > currentDate.getTime()) return deny(401, 'the token is issued in the future');
      const scopes = scopesOf(payload);
      if (routeScopes.length > 0 && !routeScopes.some((scope) => scopes.includes(scope))) {
        return deny(403, 'the token does not have a scope the route requires');
      }
      return { allowed: true, claims: stringifyClaims(payload), scopes: routeScopes.length > 0 ? scopes : null };
    },
  };
};
export type JwtAuthorizer = ReturnType<typeof createJwtAuthorizer>;

const openIdConfigurationSchema = z.object({ jwks_uri: z.url() });

/**
 * The issuer's keys found as API Gateway finds them: its OpenID configuration
 * names the JWKS URL. The lookup is retried on the next request if it fails.
 */
export const discoveredKeySet = (issuer: string): JWTVerifyGetKey => {
  let keySet: Promise<JWTVerifyGetKey> | undefined;
  const discover = async (): Promise<JWTVerifyGetKey> => {
    const response = await fetch(issuerUrl(issuer, OPENID_CONFIGURATION_PATH));
    if (!response.ok) throw new Error(`${issuer} answered ${response.status} to its OpenID configuration request`);
    const { jwks_uri: jwksUri } = openIdConfigurationSchema.parse(await response.json());
    return createRemoteJWKSet(new URL(jwksUri));
  };
  return async (header, token) => {
    keySet ??= discover().catch((error: unknown) => {
      keySet = undefined;
      throw error;
    });
    return (await keySet)(header, token);
  };
};

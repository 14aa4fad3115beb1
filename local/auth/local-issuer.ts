import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, SignJWT, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { SIGNING_ALGORITHM, type SigningKey } from './signing-key.ts';

export interface MintTokenRequest {
  /** The subject: the buyer id the API reads from `claims.sub`. */
  readonly sub: string;
  readonly audience: string | readonly string[];
  /** Seconds from now, or a span such as '2h' or '30m'. */
  readonly expiresIn: number | string;
  /** OAuth scopes, written as the space-separated `scope` claim. */
  readonly scopes?: readonly string[];
}

/** The discovery fields API Gateway and OIDC clients read; the local issuer has no login endpoints. */
export interface OpenIdConfiguration {
  readonly issuer: string;
  readonly jwks_uri: string;
  readonly response_types_supported: readonly string[];
  readonly subject_types_supported: readonly string[];
  readonly id_token_signing_alg_values_supported: readonly string[];
  readonly claims_supported: readonly string[];
}

export const JWKS_PATH = '/.well-known/jwks.json';
export const OPENID_CONFIGURATION_PATH = '/.well-known/openid-configuration';

/** `<issuer>/<path>` whether or not the issuer ends with a slash. */
export const issuerUrl = (issuer: string, path: string): string => `${issuer.replace(/\/+$/, '')}${path}`;

/** Signs development tokens the way an identity provider would, and publishes the key to verify them. */
export class LocalIssuer {
  /** Verifies tokens against this issuer's keys without an HTTP round trip. */
  readonly keySet: JWTVerifyGetKey;

  constructor(
    readonly issuer: string,
    private readonly key: SigningKey,
  ) {
    this.keySet = createLocalJWKSet(this.jwks());
  }

  jwks(): JSONWebKeySet {
    return { keys: [this.key.publicJwk] };
  }

  openIdConfiguration(): OpenIdConfiguration {
    return {
      issuer: this.issuer,
      jwks_uri: issuerUrl(this.issuer, JWKS_PATH),
      response_types_supported: ['token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [SIGNING_ALGORITHM],
      claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti', 'scope'],
    };
  }

  async mintToken(request: MintTokenRequest): Promise<string> {
    const issuedAt = Math.floor(Date.now() / 1000);
    const expiresAt = typeof request.expiresIn === 'number' ? issuedAt + request.expiresIn : request.expiresIn;
    const audience = typeof request.audience === 'string' ? request.audience : [...request.audience];
    const scopes = request.scopes ?? [];
    return new SignJWT(scopes.length > 0 ? { scope: scopes.join(' ') } : {})
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: this.key.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setSubject(request.sub)
      .setAudience(audience)
      .setIssuedAt(issuedAt)
      .setNotBefore(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(randomUUID())
      .sign(this.key.privateKey);
  }
}

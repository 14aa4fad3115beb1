import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { JWTVerifyGetKey } from 'jose';
import type { Service } from '#local/ports';
import { closeServer, listenOnLoopback, LOOPBACK_HOST } from '#local/api/listen';
import { DEVELOPMENT_TOKENS_PATH, serveDevelopmentTokens, type DevelopmentTokenEndpoint, type TokenEndpointRequest } from './development-token-endpoint.ts';
import { newMintSecret, registerInMemoryRuntime } from './in-memory-registry.ts';
import { writeIssuerSettings } from './issuer-settings.ts';
import { issuerUrl, JWKS_PATH, LocalIssuer, OPENID_CONFIGURATION_PATH, type MintTokenRequest } from './local-issuer.ts';
import { loadOrCreateSigningKey } from './signing-key.ts';

export const LOCAL_AUTH_SERVICE_NAME = 'Local JWT issuer';
const DEFAULT_TOKEN_LIFETIME = '12h';

export interface LocalAuthOptions {
  /** The audience the API's authorizer accepts; tokens are minted for it unless told otherwise. */
  readonly audience: readonly string[];
  /** @default 0: any free port. A fixed port keeps the issuer URL, and so older tokens, valid across restarts. */
  readonly port?: number;
  /** Keeps the signing key across restarts. @default undefined: in memory, nothing kept (--in-memory) */
  readonly authDir?: string;
  /**
   * Serve a minting endpoint and register it for `npm run token`, for a
   * runtime whose key lives only in memory. @default undefined: not served
   */
  readonly registerForTokens?: { readonly registryDir?: string };
}

export interface LocalAuth extends Service {
  /** The issuer URL: the `iss` of every token and the base of the discovery documents. */
  readonly issuer: string;
  readonly audience: readonly string[];
  /** Verifies tokens of this issuer in-process. */
  readonly keySet: JWTVerifyGetKey;
  /** A signed token for `sub`; audience and lifetime default to the configured audience and 12 hours. */
  mintToken(request: Pick<MintTokenRequest, 'sub'> & Partial<MintTokenRequest>): Promise<string>;
}

const sendJson = (response: ServerResponse, statusCode: number, body: unknown) => {
  const payload = JSON.stringify(body);
  response.writeHead(statusCode, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'cache-control': 'no-store' });
  response.end(payload);
};

const serveIssuer = (issuer: LocalIssuer, tokens: DevelopmentTokenEndpoint | undefined) => (request: IncomingMessage, response: ServerResponse) => {
  const path = new URL(request.url ?? '/', `http://${LOOPBACK_HOST}`).pathname;
  if (tokens && path === DEVELOPMENT_TOKENS_PATH) {
    serveDevelopmentTokens(tokens, request, response).catch(() => sendJson(response, 500, { message: 'Internal Server Error' }));
    return;
  }
  if (request.method !== 'GET') return sendJson(response, 405, { message: 'Method Not Allowed' });
  if (path === JWKS_PATH) return sendJson(response, 200, issuer.jwks());
  if (path === OPENID_CONFIGURATION_PATH) return sendJson(response, 200, issuer.openIdConfiguration());
  return sendJson(response, 404, { message: 'Not Found' });
};

/**
 * The identity provider of the local runtime: it publishes its keys at
 * `<issuer>/.well-known/jwks.json` (and an OpenID configuration), as the
 * identity provider of a deployed API does, and mints development tokens:
 * in-process, and over HTTP for `npm run token` when registered for it.
 */
export const startLocalAuth = async (options: LocalAuthOptions): Promise<LocalAuth> => {
  const key = await loadOrCreateSigningKey(options.authDir);
  // The issuer URL contains the port, so the handler is attached once the port is known.
  const server = createServer();
  const port = await listenOnLoopback(server, options.port ?? 0, LOCAL_AUTH_SERVICE_NAME);
  const issuer = new LocalIssuer(`http://${LOOPBACK_HOST}:${port}`, key);
  if (options.authDir !== undefined) writeIssuerSettings(options.authDir, { issuer: issuer.issuer, audience: [...options.audience] });
  const mintToken: LocalAuth['mintToken'] = (request) =>
    issuer.mintToken({
      sub: request.sub,
      audience: request.audience ?? options.audience,
      expiresIn: request.expiresIn ?? DEFAULT_TOKEN_LIFETIME,
      scopes: request.scopes ?? [],
    });
  const tokens = options.registerForTokens && {
    secret: newMintSecret(),
    mint: ({ sub, expiresInSeconds }: TokenEndpointRequest) => mintToken({ sub, expiresIn: expiresInSeconds }),
  };
  server.on('request', serveIssuer(issuer, tokens));
  let registration: ReturnType<typeof registerInMemoryRuntime> | undefined;
  try {
    registration = tokens && registerInMemoryRuntime({ mintUrl: issuerUrl(issuer.issuer, DEVELOPMENT_TOKENS_PATH), secret: tokens.secret }, options.registerForTokens?.registryDir);
  } catch (error) {
    await closeServer(server);
    throw error;
  }

  return {
    name: LOCAL_AUTH_SERVICE_NAME,
    endpoint: issuer.issuer,
    issuer: issuer.issuer,
    audience: options.audience,
    keySet: issuer.keySet,
    mintToken,
    stop: () => {
      registration?.remove();
      return closeServer(server);
    },
  };
};

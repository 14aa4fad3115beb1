import { readIssuerSettings } from './issuer-settings.ts';
import { LocalIssuer } from './local-issuer.ts';
import { readSigningKey } from './signing-key.ts';

export const DEFAULT_DEVELOPMENT_TOKEN_HOURS = 12;
/** A month: longer than any development session, short enough that a leaked token dies. */
export const MAX_DEVELOPMENT_TOKEN_HOURS = 24 * 30;
const SECONDS_PER_HOUR = 3_600;

export interface DevelopmentTokenRequest {
  /** The auth folder of a runtime's data dir (`dataDirLayout(root).auth`). */
  readonly authDir: string;
  readonly buyerId: string;
  readonly hours?: number;
}

/**
 * A token the local API accepts for `buyerId`, signed with the key a runtime
 * created in `authDir`, for its issuer and audience. Works whether or not
 * that runtime is running now.
 */
export const mintDevelopmentToken = async (request: DevelopmentTokenRequest): Promise<string> => {
  const key = await readSigningKey(request.authDir);
  const settings = readIssuerSettings(request.authDir);
  const hours = request.hours ?? DEFAULT_DEVELOPMENT_TOKEN_HOURS;
  return new LocalIssuer(settings.issuer, key).mintToken({
    sub: request.buyerId,
    audience: settings.audience,
    expiresIn: Math.round(hours * SECONDS_PER_HOUR),
  });
};

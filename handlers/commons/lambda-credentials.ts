import { fromEnv, type FromEnvInit } from '@aws-sdk/credential-provider-env';

/**
 * The SDK's default credential chain as a Lambda function needs it. The
 * bundles put this module in the place of `@aws-sdk/credential-provider-node`
 * (an esbuild alias in infra/constructs/functions.ts): Lambda hands a Node.js
 * function its role's credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
 * and AWS_SESSION_TOKEN, which is the chain's first link, and the local
 * runtime does the same. The other links (SSO, shared ini files, credential
 * processes, web identity, container and instance metadata) serve machines,
 * not functions, and with the STS and SSO clients they need they were a fifth
 * of every bundle.
 */
export const defaultProvider = (init: FromEnvInit = {}): ReturnType<typeof fromEnv> => {
  const readEnvironment = fromEnv(init);
  // Read once, as the default chain memoizes what it finds: Lambda sets these variables before the
  // function loads and never changes them, and the SDK asks for credentials on every request.
  let credentials: ReturnType<typeof readEnvironment> | undefined;
  return () =>
    (credentials ??= readEnvironment().catch((error: unknown) => {
      credentials = undefined;
      throw error;
    }));
};

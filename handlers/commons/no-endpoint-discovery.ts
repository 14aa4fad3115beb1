/**
 * Stands in for `@aws-sdk/endpoint-cache` in the bundles (an esbuild alias in
 * infra/constructs/functions.ts). The DynamoDB client creates that cache of
 * discovered endpoints, an LRU cache from `mnemonist` (8 KB with it in every
 * bundle), when it resolves its configuration, but only the endpoint
 * discovery middleware reads or fills it, and no DynamoDB command adds that
 * middleware any more: no bundle has it. Should a command ever add it, its
 * first use of the cache fails here with a message that says why.
 */

export class EndpointDiscoveryNotBundledError extends Error {
  override readonly name = 'EndpointDiscoveryNotBundledError';

  constructor() {
    super('The endpoint cache is not bundled: remove the @aws-sdk/endpoint-cache alias in infra/constructs/functions.ts for a command that discovers endpoints');
  }
}

const notBundled = (): never => {
  throw new EndpointDiscoveryNotBundledError();
};

/** Created by every DynamoDB client (`resolveEndpointDiscoveryConfig`), used by none of its commands. */
export class EndpointCache {
  getEndpoint = notBundled;
  get = notBundled;
  set = notBundled;
  delete = notBundled;
  has = notBundled;
  clear = notBundled;
}

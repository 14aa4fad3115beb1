import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EndpointCache, EndpointDiscoveryNotBundledError } from '#commons/no-endpoint-discovery';

/** The DynamoDB commands that add the endpoint discovery middleware, the one reader of the cache. */
const commandsDiscoveringEndpoints = (): string[] => {
  const commands = join(dirname(require.resolve('@aws-sdk/client-dynamodb/package.json')), 'dist-es', 'commands');
  return readdirSync(commands).filter((file) => readFileSync(join(commands, file), 'utf8').includes('getEndpointDiscoveryPlugin'));
};

describe('no-endpoint-discovery (what the bundles load for @aws-sdk/endpoint-cache)', () => {
  it('is created as the client creates it', () => {
    // Act
    const creating = () => new EndpointCache();

    // Assess
    expect(creating).not.toThrow();
  });

  it('fails any use of the cache, saying it is not bundled', () => {
    // Prepare
    const cache = new EndpointCache();

    // Act
    const reading = () => cache.getEndpoint();

    // Assess
    expect(reading).toThrow(EndpointDiscoveryNotBundledError);
    expect(reading).toThrow(/endpoint-cache alias/);
    expect(() => cache.set()).toThrow(EndpointDiscoveryNotBundledError);
  });

  it('stands in for a cache no DynamoDB command uses', () => {
    // Act
    const commands = commandsDiscoveringEndpoints();

    // Assess: a DynamoDB client with commands that discover endpoints must not get this module
    expect(commands).toEqual([]);
  });
});

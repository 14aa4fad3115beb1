import { buildLocalApp } from './build-local-app.ts';
import { readCloudAssembly } from './cloud-assembly.ts';
import type { LocalApp } from './local-app.ts';
import type { LocalEndpoints } from './local-identities.ts';

export interface LoadLocalAppOptions {
  /** The cloud assembly folder `cdk synth` wrote. */
  readonly cdkOutDir: string;
  /** The stack to serve; may be omitted when the app has one stack. */
  readonly stackName?: string;
  /** Local endpoints that appear in resolved values (queue URLs, JWT issuer, API URL). */
  readonly endpoints: LocalEndpoints;
  /** Values for template parameters; defaults apply otherwise. */
  readonly parameters?: Readonly<Record<string, string>>;
}

/**
 * The one call the runtime makes at startup: reads the synthesized stack from
 * cdk.out and returns the LocalApp model, or throws an error naming the first
 * resource or property the local runtime cannot serve.
 */
export const loadLocalApp = (options: LoadLocalAppOptions): LocalApp => {
  const assembly = readCloudAssembly(options.cdkOutDir, options.stackName);
  return buildLocalApp({
    template: assembly.template,
    stackName: assembly.stackName,
    endpoints: options.endpoints,
    locateAsset: assembly.locateAsset,
    ...(options.parameters ? { parameters: options.parameters } : {}),
  });
};

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { AssetLocator } from './functions.ts';
import { TemplateError } from './template-errors.ts';

/**
 * Reads what `cdk synth` wrote: manifest.json names each stack's template
 * file and asset manifests; an asset manifest maps each asset's S3 object key
 * (the `Code.S3Key` a function deploys from) to its folder in cdk.out.
 */

const STACK_ARTIFACT = 'aws:cloudformation:stack';
const ASSET_MANIFEST_ARTIFACT = 'cdk:asset-manifest';

const manifestSchema = z.object({
  artifacts: z.record(
    z.string(),
    z.looseObject({
      type: z.string(),
      displayName: z.string().optional(),
      properties: z.looseObject({ templateFile: z.string().optional(), file: z.string().optional(), stackName: z.string().optional() }).optional(),
      dependencies: z.array(z.string()).optional(),
    }),
  ),
});

const assetManifestSchema = z.object({
  files: z
    .record(
      z.string(),
      z.object({
        source: z.looseObject({ path: z.string().optional(), packaging: z.string().optional() }),
        destinations: z.record(z.string(), z.looseObject({ objectKey: z.string() })),
      }),
    )
    .default({}),
});

export interface CloudAssembly {
  /** Absolute path of the cdk.out folder. */
  readonly directory: string;
  /** The CloudFormation stack name (AWS::StackName). */
  readonly stackName: string;
  /** The stack's template, parsed as JSON (validated by buildLocalApp). */
  readonly template: unknown;
  readonly locateAsset: AssetLocator;
}

const readJson = (file: string, what: string): unknown => {
  if (!existsSync(file)) throw new TemplateError(`${what} not found at ${file}: synthesize the app first (npx cdk synth)`);
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return value;
  } catch (error) {
    throw new TemplateError(`${what} at ${file} is not valid JSON: ${(error as Error).message}`);
  }
};

const parseWith = <T>(schema: z.ZodType<T>, value: unknown, file: string): T => {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new TemplateError(`${file} is not a cloud assembly file the local runtime understands: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
};

/**
 * Opens the cloud assembly in `directory`. `stackName` picks the stack when
 * the app has several; with one stack it may be omitted.
 */
export const readCloudAssembly = (directory: string, stackName?: string): CloudAssembly => {
  const root = resolve(directory);
  const manifestFile = join(root, 'manifest.json');
  const manifest = parseWith(manifestSchema, readJson(manifestFile, 'The cloud assembly manifest'), manifestFile);
  const stacks = Object.entries(manifest.artifacts).filter(([, artifact]) => artifact.type === STACK_ARTIFACT);
  const chosen = stackName === undefined ? (stacks.length === 1 ? stacks[0] : undefined) : stacks.find(([id, artifact]) => id === stackName || artifact.displayName === stackName);
  if (!chosen) {
    const names = stacks.map(([id]) => id).join(', ') || 'none';
    throw new TemplateError(stackName === undefined ? `The cloud assembly has ${stacks.length} stacks (${names}): name the one to run` : `Stack ${stackName} is not in the cloud assembly (stacks: ${names})`);
  }
  const [artifactId, artifact] = chosen;
  const templateFile = join(root, artifact.properties?.templateFile ?? `${artifactId}.template.json`);
  const template = readJson(templateFile, `The template of stack ${artifactId}`);

  const assetDirectories = new Map<string, string>();
  for (const dependency of artifact.dependencies ?? []) {
    const assetArtifact = manifest.artifacts[dependency];
    if (assetArtifact?.type !== ASSET_MANIFEST_ARTIFACT || !assetArtifact.properties?.file) continue;
    const assetFile = join(root, assetArtifact.properties.file);
    const assets = parseWith(assetManifestSchema, readJson(assetFile, 'The asset manifest'), assetFile);
    for (const asset of Object.values(assets.files)) {
      if (!asset.source.path) continue;
      for (const destination of Object.values(asset.destinations)) assetDirectories.set(destination.objectKey, join(root, asset.source.path));
    }
  }

  return { directory: root, stackName: artifact.properties?.stackName ?? artifactId, template, locateAsset: (s3Key) => assetDirectories.get(s3Key) };
};

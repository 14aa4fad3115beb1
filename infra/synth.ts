import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ASSET_RESOURCE_METADATA_ENABLED_CONTEXT, PATH_METADATA_ENABLE_CONTEXT } from 'aws-cdk-lib/cx-api';
import { z } from 'zod';
import { STACK_NAME } from './outputs.ts';
import { createTicketingApp } from './ticketing-app.ts';

const PROJECT_ROOT = path.resolve(__dirname, '..');

const cdkJsonSchema = z.object({ context: z.record(z.string(), z.unknown()).default({}) });
const templateSchema = z.record(z.string(), z.unknown());

/** The feature flags of cdk.json, so an in-process synth renders the template the CLI renders. */
const readCdkContext = (cdkJsonPath = path.join(PROJECT_ROOT, 'cdk.json')): Record<string, unknown> =>
  cdkJsonSchema.parse(JSON.parse(readFileSync(cdkJsonPath, 'utf8'))).context;

/**
 * The context `npx cdk synth` gives the app: cdk.json's feature flags plus
 * the CLI's own defaults, which stamp each resource with its construct path
 * and each function with its asset directory (`aws:asset:path`).
 */
export const cliContext = (): Record<string, unknown> => ({
  ...readCdkContext(),
  [PATH_METADATA_ENABLE_CONTEXT]: true,
  [ASSET_RESOURCE_METADATA_ENABLED_CONTEXT]: true,
});

export interface SynthesizeOptions {
  /** Where to keep the cloud assembly. @default - a temporary directory, removed once the template is read */
  readonly outdir?: string;
  /** Bundle the functions (skip it when only the template matters). @default true */
  readonly bundle?: boolean;
  /** Validate against the CloudFormation schemas and rules. @default true */
  readonly validateTemplate?: boolean;
  /** Context on top of the CLI's, as `npx cdk synth -c key=value` gives it. @default - none */
  readonly context?: Record<string, unknown>;
}

/**
 * Synthesizes the app in process, with the CLI's context and cdk-nag
 * (an unacknowledged finding throws), and returns the stack's
 * CloudFormation template: the template `npx cdk synth` writes to
 * `cdk.out/<STACK_NAME>.template.json`.
 */
export const synthesizeTemplate = (options: SynthesizeOptions = {}): Record<string, unknown> => {
  const outdir = options.outdir ?? mkdtempSync(path.join(tmpdir(), 'ticketing-cdk-'));
  try {
    const { app } = createTicketingApp({ ...options, outdir, context: { ...cliContext(), ...options.context } });
    return templateSchema.parse(app.synth().getStackByName(STACK_NAME).template);
  } finally {
    if (options.outdir === undefined) rmSync(outdir, { recursive: true, force: true });
  }
};

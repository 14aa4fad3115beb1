import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { STACK_NAME } from '#infra/outputs';

/** The folders whose code ends up in the template or in the bundles. */
const SOURCE_FOLDERS = ['events', 'domain', 'handlers', 'workflows', 'infra'];
const REPOSITORY_ROOT = resolve(__dirname, '..');
export const CDK_OUT_DIR = join(REPOSITORY_ROOT, 'cdk.out');

class SynthError extends Error {
  override readonly name = 'SynthError';
}

const newestMtime = (path: string): number => {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), stats.mtimeMs);
};

/** The template is stale when any source file changed after it was written. */
const isTemplateStale = (cdkOutDir = CDK_OUT_DIR): boolean => {
  const templatePath = join(cdkOutDir, `${STACK_NAME}.template.json`);
  if (!existsSync(templatePath)) return true;
  const templateTime = statSync(templatePath).mtimeMs;
  const extras = ['package-lock.json', 'cdk.json'].map((file) => join(REPOSITORY_ROOT, file)).filter((file) => existsSync(file));
  return [...SOURCE_FOLDERS.map((folder) => join(REPOSITORY_ROOT, folder)), ...extras]
    .filter((path) => existsSync(path))
    .some((path) => newestMtime(path) > templateTime);
};

/**
 * Makes sure cdk.out holds a template (and bundles) built from the current
 * code: the local runtime serves exactly what `cdk deploy` would deploy.
 */
export const ensureSynthesized = (log: (line: string) => void, cdkOutDir = CDK_OUT_DIR): void => {
  if (!isTemplateStale(cdkOutDir)) {
    log('cdk.out is up to date with the code');
    return;
  }
  log('synthesizing the CDK app (cdk synth, with cdk-nag checks; about 20 s)...');
  const result = spawnSync('npx', ['cdk', 'synth', '--quiet', '--output', cdkOutDir], { cwd: REPOSITORY_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new SynthError(`cdk synth failed (exit ${String(result.status)}): fix the errors above, then start again`);
};

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { ENV, type EnvKey } from '#commons/config';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const READ_CONFIG_CALL = /readConfig\(\s*\[([^\]]*)\]/g;
const QUOTED_KEY = /['"](\w+)['"]/g;

const isEnvKey = (key: string): key is EnvKey => Object.hasOwn(ENV, key);

/**
 * The configuration keys a handler's code reads: the `readConfig([...])`
 * calls in its entry file and every project module it imports (esbuild
 * resolves the import graph, packages left out). The stack must set exactly
 * these, so a handler that starts reading a new variable fails this test
 * instead of its first cold start.
 */
export const configReadByHandler = (handlerName: string): EnvKey[] => {
  const result = buildSync({
    entryPoints: [path.join(PROJECT_ROOT, 'handlers', `${handlerName}.ts`)],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    packages: 'external',
    logLevel: 'silent',
  });
  const sources = Object.keys(result.metafile.inputs).map((input) => readFileSync(path.join(PROJECT_ROOT, input), 'utf8'));
  const keys = sources.flatMap((source) =>
    [...source.matchAll(READ_CONFIG_CALL)].flatMap((call) => [...(call[1] ?? '').matchAll(QUOTED_KEY)].map((key) => key[1] ?? '')),
  );
  const unknown = keys.filter((key) => !isEnvKey(key));
  if (unknown.length > 0) throw new Error(`${handlerName} reads configuration keys that handlers/commons/config.ts does not define: ${unknown.join(', ')}`);
  return [...new Set(keys.filter(isEnvKey))].sort();
};

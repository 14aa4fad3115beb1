import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { sourceMappedStack } from '#commons/source-mapped-stack';

/** A minified bundle with its map, as the functions ship them: the error is thrown on line 3 of the source. */
const SOURCE = ['export const handler = (input: string): never => {', '  const reason = `bad ${input}`;', '  throw new Error(reason);', '};', ''].join('\n');

let folder: string;
let bundle: string;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'source-mapped-stack-'));
  writeFileSync(join(folder, 'step.ts'), SOURCE);
  bundle = join(folder, 'out', 'index.js');
  buildSync({ entryPoints: [join(folder, 'step.ts')], outfile: bundle, bundle: true, minify: true, format: 'cjs', platform: 'node', sourcemap: true, sourcesContent: false, logLevel: 'silent' });
});

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

/** The stack as a plain node process prints it (jest would map it on its own), without --enable-source-maps. */
const stackThrownBy = (file: string): string => {
  const script = `try { require(${JSON.stringify(file)}).handler('seat') } catch (error) { process.stdout.write(error.stack) }`;
  return spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } }).stdout;
};

describe('sourceMappedStack', () => {
  it('points a frame of the minified bundle at its TypeScript line', () => {
    // Prepare
    const stack = stackThrownBy(bundle);

    // Act
    const mapped = sourceMappedStack(stack);

    // Assess
    expect(stack).toContain(`${bundle}:`);
    expect(mapped.split('\n')[1]).toMatch(/step\.ts:3:\d+\)?$/);
  });

  it('keeps the message and the frames of files that have no map', () => {
    // Prepare
    const stack = ['Error: bad seat', '    at run (node:internal/process/task_queues:95:5)', `    at load (${join(folder, 'no-map.js')}:1:10)`].join('\n');

    // Act
    const mapped = sourceMappedStack(stack);

    // Assess
    expect(mapped).toBe(stack);
  });
});

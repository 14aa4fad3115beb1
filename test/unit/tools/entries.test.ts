import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { Main } from '#tools/lib/command-line';
import { exitWithin, runScript } from '#tools/lib/runtime-process';
import { bufferedIo } from './ops/support.ts';

/**
 * Every npm script that runs a tool under tools/ answers the kit's way: read
 * from package.json, so a new command is checked the day it gets a script.
 */

const REPOSITORY_ROOT = resolve(__dirname, '..', '..', '..');
const TOOL_SCRIPT = /^tsx tools\/([a-z-]+)\.ts$/;

const packageSchema = z.object({ scripts: z.record(z.string(), z.string()) });
const { scripts } = packageSchema.parse(JSON.parse(readFileSync(resolve(REPOSITORY_ROOT, 'package.json'), 'utf8')));

/** `npm start` (tools/start.ts) runs the whole system until Ctrl-C: a server, not a command that answers and exits. */
const NOT_A_COMMAND = new Set(['start']);

/** [npm script, file under tools/] of every tool entry. */
const TOOLS = Object.entries(scripts).flatMap(([script, command]) => {
  const file = TOOL_SCRIPT.exec(command)?.[1];
  return file === undefined || NOT_A_COMMAND.has(script) ? [] : [[script, file] as const];
});

/** Importing a tool loads what it runs (onsale and chaos: the local runtime), seconds on a busy machine. */
const IMPORT_TIMEOUT_MS = 30_000;

const mainOf = async (file: string): Promise<Main> => {
  const entry = (await import(`#tools/${file}`)) as { main?: Main };
  if (typeof entry.main !== 'function') throw new Error(`tools/${file}.ts exports no main`);
  return entry.main;
};

test('the table holds every tool with an npm script', () => {
  // Assess
  expect(TOOLS.map(([script]) => script).sort()).toEqual(
    ['bench', 'bench:queue', 'chaos', 'concert', 'console', 'context-map', 'cost', 'dlq', 'executions', 'inspect', 'onsale', 'openapi', 'redrive', 'replay', 'token'].sort(),
  );
});

describe.each(TOOLS)('npm run %s', (script, file) => {
  test('--help prints its usage and the exit codes on stdout and exits 0', async () => {
    // Prepare
    const main = await mainOf(file);
    const out = bufferedIo();

    // Act
    const code = await main(['--help'], out.io);

    // Assess
    expect(code).toBe(0);
    expect(out.stdout()).toMatch(new RegExp(`^Usage: npm run ${script}\\b`));
    expect(out.stdout()).toMatch(/\n {2}-h, --help {3}print this help\n\nExit codes: 0 done, 1 when .+, 2 on bad arguments\.\n/);
    expect(out.stderr()).toBe('');
  }, IMPORT_TIMEOUT_MS);

  test('an unknown flag prints one line, the synopsis and a pointer to --help on stderr and exits 2', async () => {
    // Prepare
    const main = await mainOf(file);
    const out = bufferedIo();

    // Act
    const code = await main(['--no-such-flag'], out.io);

    // Assess
    expect(code).toBe(2);
    const [error, synopsis] = out.stderr().split('\n');
    expect(error).toBe("error: Unknown option '--no-such-flag'");
    expect(synopsis).toMatch(new RegExp(`^Usage: npm run ${script}\\b`));
    expect(out.stderr()).toMatch(/\nRun with --help for every option\.\n$/);
    expect(out.stdout()).toBe('');
  });
});

describe('as a process (runIfInvoked), npm run token', () => {
  /** A few seconds each: tsx compiles the tool in a new node process. */
  const PROCESS_TIMEOUT_MS = 60_000;

  test(
    'exits 0 on --help, 2 on a bad flag, 1 on a failed operation',
    async () => {
      // Prepare
      const noIssuer = join(mkdtempSync(join(tmpdir(), 'token-')), 'no-such-data-dir');

      // Act
      const runs = [['--help'], ['--bogus'], ['ada', '--data-dir', noIssuer]].map((args) => runScript('tools/token.ts', args));
      const exits = await Promise.all(runs.map((run) => exitWithin(run, PROCESS_TIMEOUT_MS)));

      // Assess
      expect(exits.map((exit) => exit.code)).toEqual([0, 2, 1]);
      expect(runs[0]?.output()).toMatch(/^Usage: npm run token/);
      expect(runs[1]?.output()).toMatch(/^error: Unknown option '--bogus'\n/);
      expect(runs[2]?.output()).toMatch(/^error: No local JWT issuer in .*no-such-data-dir/);
      expect(runs[2]?.output()).not.toMatch(/\n\s+at /);
    },
    PROCESS_TIMEOUT_MS * 2,
  );
});

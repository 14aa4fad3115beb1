import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HTTP_API_SERVICE_NAME } from '#local/api/http-api';
import { LOCAL_AUTH_SERVICE_NAME } from '#local/auth/local-auth';
import type { LocalRuntimePorts } from '#local/runtime';
import { SQS_SERVICE_NAME } from '#local/sqs/local-sqs';
import { STEP_FUNCTIONS_SERVICE_NAME } from '#local/stepfunctions/server';
import { exitWithin, runRuntimeEntry, runScript, survivorsOf, type ChildRun } from '#tools/lib/runtime-process';

/**
 * A runtime that cannot start says why in words a developer acts on, exits
 * non-zero, and leaves nothing running: no JVM, no SQS server holding ports.
 * Each start runs in a child process leading its own process group, so what
 * it leaves behind is exactly what is left in that group.
 */

/** A failed start still runs DynamoDB Local and the services before the one that fails. */
const EXIT_DEADLINE_MS = 120_000;
const CLEANUP_DEADLINE_MS = 5_000;

/** Holds a loopback port the way another program would. */
const occupyPort = async (): Promise<{ port: number; server: Server }> => {
  const server = createServer();
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, resolveListen);
  });
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('The occupying server has no port');
  return { port: address.port, server };
};

const close = (server: Server) => new Promise<void>((resolveClose) => server.close(() => resolveClose()));

/** Starts the runtime on `ports` while `port` is held elsewhere, and returns how the start ended. */
const startWithPortTaken = async (service: keyof LocalRuntimePorts) => {
  const { port, server } = await occupyPort();
  try {
    const run = runRuntimeEntry({ ports: { [service]: port }, seedDemo: false });
    return { port, run, exit: await exitWithin(run, EXIT_DEADLINE_MS) };
  } finally {
    await close(server);
  }
};

const survivorsAfter = (run: ChildRun) => survivorsOf(run.pid, CLEANUP_DEADLINE_MS);

describe('local runtime startup failures', () => {
  it('exits non-zero with a message about Java when java is not on the PATH', async () => {
    // Prepare
    const binWithoutJava = mkdtempSync(join(tmpdir(), 'path-without-java-'));
    symlinkSync(process.execPath, join(binWithoutJava, 'node'));

    try {
      // Act
      const run = runScript('tools/start.ts', ['--in-memory'], { env: { ...process.env, PATH: binWithoutJava } });
      const exit = await exitWithin(run, EXIT_DEADLINE_MS);

      // Assess
      expect(exit.code).toBe(1);
      expect(run.output()).toMatch(/npm start failed: JavaMissingError: Java 17 or newer is required/);
      expect(await survivorsAfter(run)).toEqual([]);
    } finally {
      rmSync(binWithoutJava, { recursive: true, force: true });
    }
  });

  it.each<{ service: keyof LocalRuntimePorts; named: string }>([
    { service: 'dynamodb', named: 'DynamoDB Local' },
    { service: 'auth', named: LOCAL_AUTH_SERVICE_NAME },
    { service: 'sqs', named: SQS_SERVICE_NAME },
    { service: 'eventbridge', named: 'EventBridge' },
    { service: 'stepfunctions', named: STEP_FUNCTIONS_SERVICE_NAME },
    { service: 'api', named: HTTP_API_SERVICE_NAME },
  ])('exits non-zero naming $named and the port when its port ($service) is taken, and leaves nothing running', async ({ service, named }) => {
    // Act
    const { port, run, exit } = await startWithPortTaken(service);

    // Assess
    expect(exit.code).toBe(1);
    const failure = run.output().split('\n').find((line) => line.startsWith('runtime failed:'));
    expect(failure).toContain(named);
    expect(failure).toContain(String(port));
    expect(failure).toContain('already in use');
    expect(await survivorsAfter(run)).toEqual([]);
  });
});

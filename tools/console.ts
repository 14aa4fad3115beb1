import { startConsole } from '#tools/console/console-server';
import { EXIT, noPositionals, parseWholeNumber, runIfInvoked, writeLine, type Io, type Main } from '#tools/lib/command-line';
import { chooseTarget, defineOperatorCommand, loadTarget } from '#tools/ops/operator-command';

/** Next to the local API (3000) and issuer (3001), and clear of the other local services. */
export const DEFAULT_CONSOLE_PORT = 3100;

const USAGE = `Usage: npm run console -- [--port <n>] [target options]

The web console for support staff: executions with status filters and
search by purchaseId; for each purchase the state machine with the path it
took, its steps, compensation, record, domain events and execution history
(payment tokens masked). A running purchase refreshes every 2 seconds.
Read-only, served on 127.0.0.1 only, and only to a browser that opened the
URL printed at start: it carries a secret made anew at each start. Stops
with Ctrl+C.

  --port <n>             port to listen on (default ${DEFAULT_CONSOLE_PORT})`;

const untilInterrupted = (): Promise<string> =>
  new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

/** `untilStopped` lets a test end the console; the command itself waits for Ctrl+C. */
export const runConsole = (argv: readonly string[], io: Io, untilStopped: () => Promise<unknown> = untilInterrupted): Promise<number> =>
  defineOperatorCommand({
    usage: USAGE,
    failure: 'the console cannot start or the target cannot be read',
    options: { port: { type: 'string' } },
    run: async ({ values, positionals }) => {
      noPositionals(positionals);
      const port = values.port === undefined ? DEFAULT_CONSOLE_PORT : parseWholeNumber('--port', values.port, { max: 65_535 });
      const config = loadTarget(chooseTarget(values));

      const console = await startConsole({ config, port });
      const target = config.target === 'aws' ? `stack ${config.stackName} in ${config.region}` : 'the local runtime';
      writeLine(io.stdout, `Web console for ${target}: ${console.loginUrl}  (Ctrl+C to stop)`);
      await untilStopped();
      await console.stop();
      return EXIT.ok;
    },
  })(argv, io);

export const main: Main = (argv, io) => runConsole(argv, io);

runIfInvoked('console', main);

import { startConsole } from '#local/console/console-server';
import { chooseTarget, loadTarget, noPositionals, parseCommandLine, parsePositiveIntOption, TARGET_USAGE } from '#tools/ops/args';
import { EXIT, runCommand, runIfInvoked, writeLine, type Io } from '#tools/ops/cli';

/** Next to the local API (3000) and issuer (3001), and clear of the other local services. */
export const DEFAULT_CONSOLE_PORT = 3100;

const USAGE = `Usage: npm run console -- [--port <n>] [target options]

The web console for support staff: executions with status filters and
search by purchaseId; for each purchase the state machine with the path it
took, its steps, compensation, record, domain events and execution history
(payment tokens masked). A running purchase refreshes every 2 seconds.
Read-only, and served on 127.0.0.1 only. Stops with Ctrl+C.

  --port <n>             port to listen on (default ${DEFAULT_CONSOLE_PORT})

${TARGET_USAGE}`;

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
  runCommand(io, USAGE, async () => {
    const { values, positionals } = parseCommandLine(argv, { port: { type: 'string' } });
    if (values.help) {
      writeLine(io.stdout, USAGE);
      return EXIT.ok;
    }
    noPositionals(positionals);
    const port = values.port === undefined ? DEFAULT_CONSOLE_PORT : parsePositiveIntOption('--port', values.port, 65_535);
    const config = loadTarget(chooseTarget(values));

    const console = await startConsole({ config, port });
    const target = config.target === 'aws' ? `stack ${config.stackName} in ${config.region}` : 'the local runtime';
    writeLine(io.stdout, `Web console for ${target}: ${console.url}  (Ctrl+C to stop)`);
    await untilStopped();
    await console.stop();
    return EXIT.ok;
  });

export const main = (argv: readonly string[], io: Io): Promise<number> => runConsole(argv, io);

runIfInvoked('console', main);

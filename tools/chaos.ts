import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EXIT_CODE, runCommand, writeLine, type Io } from '#tools/lib/command-line';
import { CHAOS_USAGE, defaultReportFile, parseChaosArguments } from './chaos/arguments.ts';
import { renderChaosReport } from './chaos/report.ts';
import { runChaos } from './chaos/run-chaos.ts';

/** `npm run chaos`: the on-sale spike under seeded faults, then every invariant; see `npm run chaos -- --help`. */

const main = (argv: readonly string[], io: Io): Promise<number> =>
  runCommand(io, CHAOS_USAGE, async () => {
    const args = parseChaosArguments(argv);
    if (args.help) {
      writeLine(io.stdout, CHAOS_USAGE);
      return EXIT_CODE.ok;
    }
    const reportFile = resolve(args.reportFile ?? defaultReportFile(args.profile.name, args.seed, new Date()));
    const report = await runChaos({
      profile: args.profile,
      purchases: args.purchases,
      seed: args.seed,
      ...(args.seats !== undefined && { seats: args.seats }),
      concurrency: args.concurrency,
      timeoutSeconds: args.timeoutSeconds,
      log: (line) => writeLine(io.stderr, `[chaos] ${line}`),
    });
    mkdirSync(dirname(reportFile), { recursive: true });
    writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
    io.stdout.write(renderChaosReport(report, reportFile));
    return report.ok ? EXIT_CODE.ok : EXIT_CODE.failed;
  });

// Ctrl-C or a kill ends the run through process.exit, so the runtime's child processes are stopped with it.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));
// The runtime's clients and child processes may keep the event loop alive: the exit code is the end.
void main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => process.exit(code));

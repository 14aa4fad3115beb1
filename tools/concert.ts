import { runConcertCommand } from './lib/concert-command.ts';

/** `npm run concert -- create|list ...`; see `npm run concert -- --help`. */
void runConcertCommand(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
  process.exitCode = code;
});

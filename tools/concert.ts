import { runIfInvoked } from '#tools/lib/command-line';
import { concertCommand } from './concert/concert-command.ts';

/** `npm run concert -- create|list ...`; see `npm run concert -- --help`. */
export const main = concertCommand();

runIfInvoked('concert', main);

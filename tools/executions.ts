import {
  chooseTarget,
  loadTarget,
  noPositionals,
  parseChoiceOption,
  parseCommandLine,
  parsePositiveIntOption,
  parseTimeOption,
  TARGET_USAGE,
  UsageError,
} from '#tools/ops/args';
import { EXIT, runCommand, runIfInvoked, writeLine, type Main } from '#tools/ops/cli';
import { connect } from '#tools/ops/connect';
import { listExecutions } from '#tools/ops/list-executions';
import { EXECUTION_STATUSES } from '#tools/ops/ports';
import { renderExecutions } from '#tools/ops/render-executions';
import { TIME_EXPRESSION_HELP } from '#tools/ops/times';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 10_000;

const USAGE = `Usage: npm run executions -- [--status S] [--since T] [--limit N] [target options]

The purchase saga's executions, newest first, one line each: purchaseId,
status, start, duration, and the step where it failed (or, while running,
where it is).

  --status S   one of ${EXECUTION_STATUSES.join(', ')}
  --since T    started at or after T: ${TIME_EXPRESSION_HELP}
  --limit N    at most N executions (default ${DEFAULT_LIMIT})

${TARGET_USAGE}`;

export const main: Main = (argv, io) =>
  runCommand(io, USAGE, async () => {
    const now = new Date();
    const { values, positionals } = parseCommandLine(argv, {
      status: { type: 'string' },
      since: { type: 'string' },
      limit: { type: 'string' },
    });
    if (values.help) {
      writeLine(io.stdout, USAGE);
      return EXIT.ok;
    }
    noPositionals(positionals);
    const status = values.status === undefined ? undefined : parseChoiceOption('--status', values.status, EXECUTION_STATUSES);
    const since = values.since === undefined ? undefined : parseTimeOption('--since', values.since, now);
    if (since && since > now) throw new UsageError(`--since ${values.since} is in the future`);
    const limit = values.limit === undefined ? DEFAULT_LIMIT : parsePositiveIntOption('--limit', values.limit, MAX_LIMIT);
    const target = chooseTarget(values);

    const { executions } = connect(loadTarget(target));
    const lines = await listExecutions(executions, { ...(status ? { status } : {}), ...(since ? { since } : {}), limit }, now);
    io.stdout.write(renderExecutions(lines));
    return EXIT.ok;
  });

runIfInvoked('executions', main);

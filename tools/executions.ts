import { EXIT, noPositionals, parseChoice, parseWholeNumber, runIfInvoked, UsageError } from '#tools/lib/command-line';
import { connect } from '#tools/ops/connect';
import { EXECUTION_FILTERS, listExecutions, NEEDS_A_PERSON_FILTER, statusesOf } from '#tools/ops/list-executions';
import { chooseTarget, defineOperatorCommand, loadTarget, parseTimeOption } from '#tools/ops/operator-command';
import { EXECUTION_STATUSES } from '#tools/ops/ports';
import { renderExecutions } from '#tools/ops/render-executions';
import { TIME_EXPRESSION_HELP } from '#tools/ops/times';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 10_000;

const USAGE = `Usage: npm run executions -- [--status S] [--since T] [--limit N] [target options]

The purchase saga's executions, newest first, one line each: purchaseId,
status, outcome, start, duration and step.

A settled purchase is SUCCEEDED either way: its OUTCOME is CONFIRMED, or
FAILED with the reason it was rejected (seats taken, card declined...) and
the step that rejected it, after every compensation ran. FAILED, TIMED_OUT
and ABORTED executions NEED A PERSON: STEP is the step they stopped in, with
its error (npm run inspect -- <purchaseId> says what to do).

  --status S   one of ${EXECUTION_STATUSES.join(', ')},
               or ${NEEDS_A_PERSON_FILTER} (FAILED, TIMED_OUT and ABORTED)
  --since T    started at or after T: ${TIME_EXPRESSION_HELP}
  --limit N    at most N executions (default ${DEFAULT_LIMIT})`;

export const main = defineOperatorCommand({
  usage: USAGE,
  failure: 'the target cannot be read',
  options: {
    status: { type: 'string' },
    since: { type: 'string' },
    limit: { type: 'string' },
  },
  run: async ({ values, positionals }, io) => {
    const now = new Date();
    noPositionals(positionals);
    const filter = values.status === undefined ? undefined : parseChoice('--status', values.status, EXECUTION_FILTERS);
    const since = values.since === undefined ? undefined : parseTimeOption('--since', values.since, now);
    if (since && since > now) throw new UsageError(`--since ${values.since} is in the future`);
    const limit = values.limit === undefined ? DEFAULT_LIMIT : parseWholeNumber('--limit', values.limit, { max: MAX_LIMIT });
    const target = chooseTarget(values);

    const { executions } = connect(loadTarget(target));
    const lines = await listExecutions(executions, { ...(filter ? { statuses: statusesOf(filter) } : {}), ...(since ? { since } : {}), limit }, now);
    io.stdout.write(renderExecutions(lines));
    return EXIT.ok;
  },
});

runIfInvoked('executions', main);

import { chooseTarget, loadTarget, parseChoiceOption, parseCommandLine, parsePositiveIntOption, TARGET_USAGE, UsageError } from '#tools/ops/args';
import { EXIT, runCommand, runIfInvoked, writeLine, type Main } from '#tools/ops/cli';
import { connect } from '#tools/ops/connect';
import { listDeadLetters, moveDeadLetters } from '#tools/ops/dead-letters';
import { renderDeadLetters, renderMoved, renderMoveSummary } from '#tools/ops/render-dead-letters';

const ACTIONS = ['list', 'redrive'] as const;
const DEFAULT_LIST_MAX = 100;
const MAX = 100_000;

const USAGE = `Usage: npm run dlq -- list [--max N] | redrive [--max N] [target options]

The purchase queue's dead letters: purchases the starter could not start.

  list       show them (purchaseId, receive count, first sent time) without
             consuming them: each is received with a short visibility timeout
             and made visible again right after (default at most ${DEFAULT_LIST_MAX})
  redrive    move them back to the purchase queue (send, then delete from the
             dead-letter queue), with progress and a count; starting twice is
             harmless, since executions are named after the purchaseId
  --max N    at most N messages

${TARGET_USAGE}`;

export const main: Main = (argv, io) =>
  runCommand(io, USAGE, async () => {
    const { values, positionals } = parseCommandLine(argv, { max: { type: 'string' } });
    if (values.help) {
      writeLine(io.stdout, USAGE);
      return EXIT.ok;
    }
    const [actionText, ...extra] = positionals;
    if (actionText === undefined) throw new UsageError('give an action: list or redrive');
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const action = parseChoiceOption('action', actionText, ACTIONS);
    const max = values.max === undefined ? undefined : parsePositiveIntOption('--max', values.max, MAX);
    const target = chooseTarget(values);
    const config = loadTarget(target);
    const { queues } = connect(config);
    const deadLetterUrl = config.outputs.PurchaseDeadLetterQueueUrl;

    if (action === 'list') {
      io.stdout.write(renderDeadLetters(await listDeadLetters(queues, deadLetterUrl, max ?? DEFAULT_LIST_MAX)));
      return EXIT.ok;
    }
    const summary = await moveDeadLetters(queues, { sourceUrl: config.outputs.PurchaseQueueUrl, deadLetterUrl }, max ?? MAX, (letter, moved) =>
      io.stdout.write(renderMoved(letter, moved)),
    );
    io.stdout.write(renderMoveSummary(summary));
    return EXIT.ok;
  });

runIfInvoked('dlq', main);

import { EXIT, parseChoice, parseWholeNumber, runIfInvoked, UsageError } from '#tools/lib/command-line';
import { connect } from '#tools/ops/connect';
import { listDeadLetters, moveDeadLetters } from '#tools/ops/dead-letters';
import { chooseTarget, defineOperatorCommand, loadTarget } from '#tools/ops/operator-command';
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
  --max N    at most N messages`;

export const main = defineOperatorCommand({
  usage: USAGE,
  failure: 'a message cannot be moved, or the target cannot be read',
  options: { max: { type: 'string' } },
  run: async ({ values, positionals }, io) => {
    const [actionText, ...extra] = positionals;
    if (actionText === undefined) throw new UsageError('give an action: list or redrive');
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const action = parseChoice('action', actionText, ACTIONS);
    const max = values.max === undefined ? undefined : parseWholeNumber('--max', values.max, { max: MAX });
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
  },
});

runIfInvoked('dlq', main);

import { randomBytes } from 'node:crypto';
import { EXIT, noPositionals, nonEmpty, runIfInvoked, UsageError } from '#tools/lib/command-line';
import { connect } from '#tools/ops/connect';
import { chooseTarget, defineOperatorCommand, loadTarget, parseDurationOption, parseTimeOption } from '#tools/ops/operator-command';
import { systemClock } from '#tools/ops/ports';
import { renderReplayPlan, renderReplayProgress, renderReplayResult } from '#tools/ops/render-replay';
import { planReplay, runReplay } from '#tools/ops/replay-archive';
import { TIME_EXPRESSION_HELP } from '#tools/ops/times';

const DEFAULT_TIMEOUT = '15m';
const POLL_MS = 1_000;

const USAGE = `Usage: npm run replay -- --from T --to T [--detail-type X] [--dry-run] [--timeout D] [target options]

Replays the archived domain events of a time window into the bus's rules
(EventBridge StartReplay), prints progress every second and a summary.
Replays are not ordered and every consumer is idempotent, so replaying a
window twice leaves the projections unchanged.

  --from T, --to T   the window: ${TIME_EXPRESSION_HELP}
  --detail-type X    only the rules whose pattern selects X (e.g. SeatsReleased.v1)
  --dry-run          print the archive, window and rules; replay nothing
  --timeout D        stop waiting after D (default ${DEFAULT_TIMEOUT}); the replay itself goes on`;

/** Replay names are unique per account and region: a time stamp plus a random suffix. */
const replayName = (now: Date) => `ops-replay-${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomBytes(4).toString('hex')}`;

export const main = defineOperatorCommand({
  usage: USAGE,
  failure: 'there is nothing to replay into, or the replay fails or times out',
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    'detail-type': { type: 'string' },
    'dry-run': { type: 'boolean' },
    timeout: { type: 'string' },
  },
  run: async ({ values, positionals }, io) => {
    const now = new Date();
    noPositionals(positionals);
    if (values.from === undefined || values.to === undefined) throw new UsageError('--from and --to are both required');
    const from = parseTimeOption('--from', values.from, now);
    const to = parseTimeOption('--to', values.to, now);
    if (from > to) throw new UsageError(`--from (${from.toISOString()}) is after --to (${to.toISOString()})`);
    if (to > now) throw new UsageError(`--to (${to.toISOString()}) is in the future`);
    const detailType = values['detail-type'] === undefined ? undefined : nonEmpty('--detail-type', values['detail-type']);
    const timeoutMs = parseDurationOption('--timeout', values.timeout ?? DEFAULT_TIMEOUT);
    const target = chooseTarget(values);

    const config = loadTarget(target);
    const ports = connect(config);
    const plan = await planReplay(ports, config.outputs, { from, to, ...(detailType ? { detailType } : {}) }, replayName(now));
    io.stdout.write(renderReplayPlan(plan, values['dry-run'] ?? false));
    if (values['dry-run']) return EXIT.ok;

    const result = await runReplay(ports.replays, plan, {
      clock: systemClock,
      timeoutMs,
      pollMs: POLL_MS,
      onProgress: (status) => io.stdout.write(renderReplayProgress(status)),
    });
    io.stdout.write(renderReplayResult(plan, result));
    return result.state === 'COMPLETED' ? EXIT.ok : EXIT.failed;
  },
});

runIfInvoked('replay', main);

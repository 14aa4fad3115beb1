import { EXIT, expectPositionals, runIfInvoked, UsageError, writeLine } from '#tools/lib/command-line';
import { connect } from '#tools/ops/connect';
import { chooseTarget, defineOperatorCommand, loadTarget, parsePurchaseId } from '#tools/ops/operator-command';
import { redriveAllFailed, redriveExecution } from '#tools/ops/redrive-executions';
import { renderRedriveOutcome, renderRedriveSummary } from '#tools/ops/render-redrive';

const USAGE = `Usage: npm run redrive -- <purchaseId> | --all-failed [--dry-run] [target options]

Redrives stopped executions (Step Functions RedriveExecution): each resumes
in the step it stopped in, with the same input; the steps that succeeded are
not run again, and every step is idempotent.

A rejected purchase (seats taken, card declined) ends SUCCEEDED, with its
compensations run: there is nothing to redrive. An execution is FAILED only
when a step (a compensation, ConfirmPurchase, RecordPurchaseFailure) kept
failing after its retries: fix the cause, then redrive it.

  <purchaseId>   that purchase's execution (FAILED, TIMED_OUT or ABORTED)
  --all-failed   every FAILED or TIMED_OUT execution whose error is technical
                 (DependencyUnavailable, PaymentProviderUnavailable,
                 Sandbox.Timedout, Runtime.ExitError, Lambda.*, States.Timeout...);
                 unrecognised errors, errors a redrive would repeat
                 (States.Runtime...) and ABORTED executions are skipped, each
                 with its reason: inspect them, then redrive them by id
  --dry-run      say what would be redriven; change nothing

Step Functions redrives the state that was entered and never exited. Should
the definition end a path in a Fail state, a redrive would only re-run that
Fail state and fail again, so such an execution is skipped too, with the
advice to settle it by hand.`;

export const main = defineOperatorCommand({
  usage: USAGE,
  failure: 'an execution is unknown, cannot be redriven, or its redrive fails',
  options: { 'all-failed': { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
  run: async ({ values, positionals }, io) => {
    const allFailed = values['all-failed'] ?? false;
    const dryRun = values['dry-run'] ?? false;
    if (allFailed && positionals.length > 0) throw new UsageError('give a <purchaseId> or --all-failed, not both');
    if (!allFailed && positionals.length === 0) throw new UsageError('give a <purchaseId> or --all-failed');
    const purchaseId = allFailed ? undefined : parsePurchaseId(expectPositionals(positionals, ['purchaseId'])[0] ?? '');
    const target = chooseTarget(values);
    const { executions } = connect(loadTarget(target));

    if (purchaseId === undefined) {
      const outcomes = await redriveAllFailed(executions, dryRun, (outcome) => io.stdout.write(renderRedriveOutcome(outcome)));
      io.stdout.write(renderRedriveSummary(outcomes, dryRun));
      return outcomes.some((outcome) => outcome.result === 'error') ? EXIT.failed : EXIT.ok;
    }

    const execution = await executions.describe(purchaseId);
    if (!execution) {
      writeLine(io.stderr, `unknown purchase ${purchaseId}: no execution with this name`);
      return EXIT.failed;
    }
    const outcome = await redriveExecution(executions, execution, 'by-id', dryRun);
    io.stdout.write(renderRedriveOutcome(outcome));
    io.stdout.write(renderRedriveSummary([outcome], dryRun));
    return outcome.result === 'redriven' || outcome.result === 'would-redrive' ? EXIT.ok : EXIT.failed;
  },
});

runIfInvoked('redrive', main);

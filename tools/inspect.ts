import { EXIT, expectPositionals, runIfInvoked, writeLine } from '#tools/lib/command-line';
import { connect } from '#tools/ops/connect';
import { inspectPurchase } from '#tools/ops/inspect-purchase';
import { chooseTarget, defineOperatorCommand, loadTarget, parsePurchaseId } from '#tools/ops/operator-command';
import { inspectionToJson, renderInspection } from '#tools/ops/render-inspection';

const USAGE = `Usage: npm run inspect -- <purchaseId> [--json] [target options]

What happened to one purchase: its record (never the payment token), its
execution and a timeline of its steps (retries, caught errors and their
cause), whether compensation ran and how it ended, its domain events, and a
one-line verdict.

The verdict of a settled purchase (SUCCEEDED) is CONFIRMED, or FAILED at the
step that rejected it with what the compensations undid. An execution that
is FAILED, TIMED_OUT or ABORTED needs a person: the verdict names the step it
stopped in, what that leaves unsettled, and what to do (usually: fix the
cause, then npm run redrive -- <purchaseId>).

  --json                 one JSON document instead of the report

Domain events: locally they are read from the runtime's archive file. On AWS
no API reads an EventBridge archive, so they are inferred from the steps that
succeeded in the execution history (and the purchase status read model).`;

export const main = defineOperatorCommand({
  usage: USAGE,
  failure: 'no purchase or execution has that id, or the target cannot be read',
  options: { json: { type: 'boolean' } },
  run: async ({ values, positionals }, io) => {
    const [id = ''] = expectPositionals(positionals, ['purchaseId']);
    const purchaseId = parsePurchaseId(id);
    const target = chooseTarget(values);

    const inspection = await inspectPurchase(connect(loadTarget(target)), purchaseId, new Date());
    if (!inspection) {
      writeLine(io.stderr, `unknown purchase ${purchaseId}: no purchase record and no execution with this id`);
      return EXIT.failed;
    }
    io.stdout.write(values.json ? inspectionToJson(inspection) : renderInspection(inspection));
    return EXIT.ok;
  },
});

runIfInvoked('inspect', main);

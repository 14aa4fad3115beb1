import type { CompensationStep } from './compensation.ts';
import { durationOf, type TimelineStep } from './execution-timeline.ts';
import { describeStepError } from './history.ts';
import type { Inspection } from './inspect-purchase.ts';
import type { PurchaseRecord } from './ports.ts';
import { formatMoney } from './purchase-events.ts';
import { describeSagaOutcome } from './saga-outcome.ts';
import { formatTable } from './text-table.ts';
import { formatClock, formatClockMs, formatDuration } from './times.ts';

const retriesText = (count: number) => `${count} ${count === 1 ? 'retry' : 'retries'}`;

const outcomeOf = (step: TimelineStep): string => {
  const retried =
    step.retries > 0 ? ` after ${retriesText(step.retries)} (${[...new Set(step.retriedErrors.map((e) => e.error))].join(', ')})` : '';
  switch (step.outcome) {
    case 'succeeded':
      return `succeeded${retried}`;
    case 'caught':
      return `caught ${step.error ? describeStepError(step.error) : ''}${retried}`.trim();
    case 'failed':
      // A Fail state's cause is the execution's, printed once above.
      if (step.stateType === 'Fail') return `FAILED ${step.error?.error ?? ''}`.trim();
      return `FAILED ${step.error ? describeStepError(step.error) : ''}${retried}`.trim();
    case 'interrupted':
      return `interrupted: ${step.error?.error ?? 'execution ended'}`;
    case 'running':
      return `running (attempt ${Math.max(step.attempts, 1)})${step.error ? `, last attempt failed: ${describeStepError(step.error)}` : ''}`;
  }
};

const undoneText = (step: CompensationStep): string => {
  if (step.voided !== undefined) return step.voided ? ', invoice voided' : ', there was no invoice to void';
  if (step.refunded !== undefined) return step.refunded ? ', charge refunded' : ', there was no charge to refund (the payment key is voided)';
  return '';
};

const purchaseLines = (record: PurchaseRecord, problems: readonly string[]): string[] => {
  const failure = record.failureReason
    ? ` (${record.failureReason}${record.failedStep ? ` at ${record.failedStep}` : ''}${record.failureMessage ? `: ${record.failureMessage}` : ''})`
    : '';
  const rows: Array<[string, string | undefined]> = [
    ['status', `${record.status ?? 'unknown'}${failure}`],
    ['buyer', record.buyerId],
    ['concert', record.concertId],
    ['seats', record.seatIds?.join(', ')],
    ['payment', record.paymentRef && `${record.paymentRef}${record.paymentDetails === 'removed' ? ' (token removed)' : ''}`],
    ['total', record.total && formatMoney(record.total)],
    ['invoice', record.invoiceId],
    ['created', record.createdAt],
    ['updated', record.updatedAt],
    ['correlation', record.correlationId],
  ];
  const present = rows.flatMap(([name, value]) => (value === undefined ? [] : [[name, value]]));
  return [...formatTable(present, '  '), ...problems.map((problem) => `  ! unexpected value in the record: ${problem}`)];
};

/** The human-readable report of `npm run inspect`. Times are UTC. */
export const renderInspection = (inspection: Inspection): string => {
  const lines: string[] = [`Purchase ${inspection.purchaseId}  (times in UTC)`];
  lines.push(...(inspection.purchase ? purchaseLines(inspection.purchase.record, inspection.purchase.problems) : ['  no purchase record']));

  const execution = inspection.execution;
  lines.push('', 'Execution');
  if (execution) {
    const stopped = execution.stoppedAt
      ? `stopped ${formatClockMs(execution.stoppedAt)} (${formatDuration(execution.stoppedAt.getTime() - execution.startedAt.getTime())})`
      : 'still running';
    lines.push(`  ${execution.status}  started ${execution.startedAt.toISOString()}  ${stopped}${execution.redriveCount ? `  redriven ${execution.redriveCount}x` : ''}`);
    lines.push(`  ${execution.arn}`);
    if (inspection.outcome) lines.push(`  outcome ${describeSagaOutcome(inspection.outcome)}`);
    if (execution.error) lines.push(`  error ${execution.error}${execution.cause ? `: ${execution.cause}` : ''}`);
  } else {
    lines.push('  no execution with this name');
  }

  if (inspection.timeline) {
    lines.push('', 'Timeline  (entered, exited, duration, state, outcome)');
    const redrives = inspection.timeline.redrives.map((at) => ({ at, row: [formatClockMs(at), '', '', '-- redriven', ''] }));
    const steps = inspection.timeline.steps.map((step) => {
      const duration = durationOf(step);
      const row = [formatClockMs(step.enteredAt), step.exitedAt ? formatClockMs(step.exitedAt) : '...', duration === undefined ? '' : formatDuration(duration), step.name, outcomeOf(step)];
      return { at: step.enteredAt, row };
    });
    // A redrive goes before the states it re-entered, even within the same millisecond.
    const rows = [...redrives, ...steps].sort((a, b) => a.at.getTime() - b.at.getTime()).map(({ row }) => row);
    lines.push(...formatTable(rows, '  '));
  }

  const compensation = inspection.compensation;
  lines.push('', `Compensation: ${compensation.ran ? `ran, ${compensation.ended}` : 'did not run'}`);
  for (const step of compensation.steps) {
    lines.push(`  ${step.name} ${step.outcome}${step.at ? ` ${formatClock(step.at)}` : ''}${undoneText(step)}${step.error ? ` (${describeStepError(step.error)})` : ''}`);
  }

  const events = inspection.events;
  lines.push(
    '',
    events.source === 'archive'
      ? `Domain events (local archive ${events.location ?? ''})`.replace(' )', ')')
      : 'Domain events (inferred from the execution history: no archive is readable here; AWS has no API to read one)',
  );
  lines.push(
    ...(events.items.length === 0
      ? ['  none']
      : formatTable(
          events.items.map((event) => [formatClockMs(event.time), event.detailType, event.source, event.summary]),
          '  ',
        )),
  );

  lines.push('', `Verdict: ${inspection.verdict}`);
  return `${lines.join('\n')}\n`;
};

/** The --json document: the same facts, with Dates as ISO strings and state outputs left out. */
export const inspectionToJson = (inspection: Inspection): string =>
  `${JSON.stringify(
    {
      ...inspection,
      timeline: inspection.timeline && {
        ...inspection.timeline,
        steps: inspection.timeline.steps.map(({ output: _output, ...step }) => ({ ...step, durationMs: durationOf(step) })),
      },
    },
    null,
    2,
  )}\n`;

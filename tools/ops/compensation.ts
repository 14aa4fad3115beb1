import { z } from 'zod';
import { COMPENSATION_STEPS, STATES, purchaseSagaDefinition } from '#workflows/purchase-saga';
import { lastEntryOf, type ExecutionTimeline, type StepOutcome } from './execution-timeline.ts';
import type { StepError } from './history.ts';

export interface CompensationStep {
  readonly name: string;
  readonly outcome: StepOutcome;
  readonly at?: Date;
  readonly error?: StepError;
  /** VoidInvoice only: false when there was no invoice to void. */
  readonly voided?: boolean;
  /** RefundPayment only: false when there was no charge to refund (the payment key is voided instead). */
  readonly refunded?: boolean;
}

/**
 * - not-run: no compensation state was entered (confirmed, failed before any hold, or still going forward);
 * - completed: every compensation entered succeeded;
 * - failed: the execution failed, timed out or was stopped inside one (it gave up after its retries);
 * - running: a compensation is in progress.
 */
type CompensationEnd = 'not-run' | 'completed' | 'failed' | 'running';

export interface CompensationReport {
  readonly ran: boolean;
  readonly ended: CompensationEnd;
  readonly steps: readonly CompensationStep[];
}

/** The key a state's ResultPath ("$.refundPayment") writes its result under, read from the definition. */
export const resultKeyOf = (state: keyof typeof purchaseSagaDefinition.States): string => {
  const definition = purchaseSagaDefinition.States[state];
  return 'ResultPath' in definition ? definition.ResultPath.replace(/^\$\./, '') : state;
};

/** The flag a compensation's ResultSelector keeps: whether there was anything to undo. */
const FLAGS = { [STATES.voidInvoice]: 'voided', [STATES.refundPayment]: 'refunded' } as const;

const flagIn = (name: keyof typeof FLAGS, output: string | undefined): boolean | undefined => {
  if (output === undefined) return undefined;
  const schema = z.object({ [resultKeyOf(name)]: z.object({ [FLAGS[name]]: z.boolean() }) });
  try {
    return schema.safeParse(JSON.parse(output)).data?.[resultKeyOf(name)]?.[FLAGS[name]];
  } catch {
    return undefined;
  }
};

const hasFlag = (name: string): name is keyof typeof FLAGS => name in FLAGS;

export const compensationOf = (timeline: ExecutionTimeline | undefined): CompensationReport => {
  const steps = COMPENSATION_STEPS.flatMap((name) => {
    const entry = timeline && lastEntryOf(timeline, name);
    if (!entry) return [];
    const flag = hasFlag(name) && entry.outcome === 'succeeded' ? flagIn(name, entry.output) : undefined;
    const step: CompensationStep = {
      name,
      outcome: entry.outcome,
      ...(entry.exitedAt ? { at: entry.exitedAt } : {}),
      ...(entry.error ? { error: entry.error } : {}),
      ...(flag === undefined || !hasFlag(name) ? {} : { [FLAGS[name]]: flag }),
    };
    return [{ step, order: entry.enteredEventId }];
  })
    .sort((a, b) => a.order - b.order)
    .map(({ step }) => step);
  const ended: CompensationEnd =
    steps.length === 0
      ? 'not-run'
      : steps.some((step) => step.outcome === 'running')
        ? 'running'
        : steps.every((step) => step.outcome === 'succeeded')
          ? 'completed'
          : 'failed';
  return { ran: steps.length > 0, ended, steps };
};

import { z } from 'zod';
import { FunctionError } from '#local/ports';

/**
 * Local fault settings: make a function's next invocations fail the way the
 * Lambda service can fail, without touching handler code. The invoker
 * applies them, so tests and demos inject faults through the same port the
 * state machine, queue and API use.
 *
 * `beforeHandler` faults fail the invocation without running the handler
 * (the service failed to invoke it). `afterHandler` faults run the handler,
 * then lose its answer: the caller sees an error although the work was done,
 * which is what idempotent steps must survive.
 */
export const faultSchema = z.object({
  /** How many invocations fail before the function behaves again. */
  failTimes: z.number().int().positive(),
  /** The error type the caller sees, e.g. Lambda.ServiceException (which the saga retries). */
  errorType: z.string().min(1).default('Lambda.ServiceException'),
  message: z.string().default('Fault injected by the local fault plan'),
  when: z.enum(['beforeHandler', 'afterHandler']).default('beforeHandler'),
});

/** Faults by function logical id or name. */
const faultPlanSchema = z.record(z.string().min(1), faultSchema);
export type FaultPlan = z.input<typeof faultPlanSchema>;
export type FaultPhase = z.infer<typeof faultSchema>['when'];

export class UnknownFaultTargetError extends Error {
  override readonly name = 'UnknownFaultTargetError';
}

interface FaultTarget {
  readonly logicalId: string;
  readonly name: string;
}

/** Counts faults down as invocations consume them. */
export class FaultInjector {
  private readonly remaining = new Map<string, number>();
  private readonly faults: Readonly<Record<string, z.infer<typeof faultSchema>>>;

  constructor(plan: FaultPlan, functions: readonly FaultTarget[]) {
    this.faults = faultPlanSchema.parse(plan);
    for (const [key, fault] of Object.entries(this.faults)) {
      if (!functions.some((fn) => fn.logicalId === key || fn.name === key)) {
        throw new UnknownFaultTargetError(`The fault plan names ${key}, which is not a function of this app`);
      }
      this.remaining.set(key, fault.failTimes);
    }
  }

  /** The error for this invocation when a fault of this phase is still due, consuming it. */
  take(fn: FaultTarget, phase: FaultPhase): FunctionError | undefined {
    const key = Object.hasOwn(this.faults, fn.logicalId) ? fn.logicalId : fn.name;
    const fault = this.faults[key];
    const left = this.remaining.get(key) ?? 0;
    if (!fault || fault.when !== phase || left <= 0) return undefined;
    this.remaining.set(key, left - 1);
    return new FunctionError(fault.errorType, fault.message);
  }
}

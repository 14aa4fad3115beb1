import type { DeliveryFaultSource } from '#local/eventbridge/delivery';
import type { InvocationFaultSource } from '#local/lambda/invocation-faults';
import type { Interceptor } from '#local/proxy/aws-json-proxy';
import type { LocalFunction } from '#local/template/local-app';
import { chaosSettingsSchema, type ChaosSettings, type FaultKind } from './chaos-settings.ts';
import { FaultDraws } from './fault-draws.ts';
import { lambdaFaults } from './lambda-faults.ts';
import { dynamoDbFaults, eventBridgeFaults, stepFunctionsFaults } from './service-faults.ts';

/** A late delivery waits this long at least and at most. */
const LATE_DELIVERY_MIN_MS = 1000;
const LATE_DELIVERY_MAX_MS = 5000;

/** A StartExecution the chaos settings refused, named as the Step Functions exception, which is what a dead-letter message reports. */
export class StartExecutionThrottledError extends Error {
  override readonly name = 'ThrottlingException';
  constructor() {
    super('Rate exceeded (injected by the local chaos settings)');
  }
}

/**
 * The chaos settings, ready to wire into the runtime's boundaries: one fault
 * source per boundary, all drawing from the same seeded streams and counting
 * into the same totals.
 */
export interface Chaos {
  /** For the function runtime: every invocation, whoever the caller. */
  readonly invocations: InvocationFaultSource;
  /** For the proxies the functions reach these services through. */
  readonly dynamodb: Interceptor;
  readonly stepFunctions: Interceptor;
  readonly eventBridge: Interceptor;
  /** For the bus's deliveries to rule targets. */
  readonly eventDeliveries: DeliveryFaultSource;
  /** For StartExecution calls the runtime makes itself (EventBridge rules that target a state machine). */
  startExecutionThrottled(): boolean;
  /** For the SQS event source mappings, per batch. */
  redeliverBatch(): boolean;
  /** Faults injected so far by this process, by kind. */
  counts(): Record<FaultKind, number>;
}

export const createChaos = (settings: ChaosSettings, functions: readonly LocalFunction[]): Chaos => {
  const parsed = chaosSettingsSchema.parse(settings);
  const draws = new FaultDraws(parsed);
  return {
    invocations: lambdaFaults({ draws, functions, only: parsed.functions }),
    dynamodb: dynamoDbFaults(draws),
    stepFunctions: stepFunctionsFaults(draws),
    eventBridge: eventBridgeFaults(draws),
    eventDeliveries: () => {
      const duplicate = draws.draw('eventbridge.duplicateDelivery') !== undefined;
      const late = draws.draw('eventbridge.lateDelivery') !== undefined;
      if (!duplicate && !late) return undefined;
      const delayMs = late ? LATE_DELIVERY_MIN_MS + Math.floor(draws.detail('eventbridge.lateDelivery') * (LATE_DELIVERY_MAX_MS - LATE_DELIVERY_MIN_MS)) : 0;
      return { copies: duplicate ? 2 : 1, delayMs };
    },
    startExecutionThrottled: () => draws.draw('sfn.startExecutionThrottled') !== undefined,
    redeliverBatch: () => draws.draw('sqs.duplicateDelivery') !== undefined,
    counts: () => draws.counts(),
  };
};

import type { Context } from 'aws-lambda';
import type { EventDefinition } from '#events/event-definition';
import { eventIdFor, type EventMetadata } from '#events/metadata';
import { toStepError } from './errors.ts';
import { makeIdempotentStep } from './idempotency.ts';
import { logger, tracer } from './powertools.ts';

/**
 * The shape every saga step handler shares, so that each handler file only
 * says what is particular to it: parse the payload (zod), log with the
 * purchaseId, trace, run at most once per purchaseId (Powertools
 * idempotency), and throw errors the state machine can match by name.
 */
export interface StepHandlerOptions<TPayload, TResult> {
  /** The handler's file name, e.g. "reserve-seats": the idempotency key prefix and the trace subsegment. */
  readonly name: string;
  /** Parses the task's Payload; throws on anything else. */
  readonly parse: (event: unknown) => TPayload;
  /** JMESPath of the purchaseId inside the parsed payload: the idempotency key. */
  readonly purchaseIdPath: string;
  readonly purchaseIdOf: (payload: TPayload) => string;
  readonly run: (payload: TPayload) => Promise<TResult>;
}

export type StepHandler<TResult> = (event: unknown, context: Context) => Promise<TResult>;

const traced = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
  const parent = tracer.getSegment();
  const subsegment = parent?.addNewSubsegment(`## ${name}`);
  if (subsegment) tracer.setSegment(subsegment);
  tracer.annotateColdStart();
  tracer.addServiceNameAnnotation();
  try {
    return await work();
  } catch (error) {
    if (error instanceof Error) tracer.addErrorAsMetadata(error);
    throw error;
  } finally {
    if (parent && subsegment) {
      subsegment.close();
      tracer.setSegment(parent);
    }
  }
};

export const createStepHandler = <TPayload, TResult>(options: StepHandlerOptions<TPayload, TResult>): StepHandler<TResult> => {
  const runOnce = makeIdempotentStep((payload: TPayload, _context: Context) => options.run(payload), {
    keyPrefix: options.name,
    eventKeyJmesPath: options.purchaseIdPath,
  });

  return async (event, context) => {
    logger.addContext(context);
    try {
      const payload = options.parse(event);
      const purchaseId = options.purchaseIdOf(payload);
      logger.appendKeys({ purchaseId });
      tracer.putAnnotation('purchaseId', purchaseId);
      return await traced(options.name, async () => {
        const result = await runOnce(payload, context);
        logger.info('Step completed', { step: options.name });
        return result;
      });
    } catch (error) {
      const stepError = toStepError(error);
      // Business outcomes (seats taken, card declined) are expected: warn, the saga handles them.
      logger.warn('Step failed', { step: options.name, error: stepError });
      throw stepError;
    } finally {
      logger.resetKeys();
    }
  };
};

/** Identifies the purchase in every event a step publishes. */
export interface SagaContext {
  readonly purchaseId: string;
  readonly concertId: string;
  readonly correlationId: string;
}

/** The common metadata of a step's event; its eventId is the same however often the step runs. */
export const eventMetadataFor = (definition: EventDefinition, saga: SagaContext, now: Date): EventMetadata => ({
  eventId: eventIdFor(saga.purchaseId, definition.detailType),
  purchaseId: saga.purchaseId,
  concertId: saga.concertId,
  correlationId: saga.correlationId,
  occurredAt: now.toISOString(),
});

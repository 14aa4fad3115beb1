import * as z from 'zod';

/**
 * Every domain event has a bounded context (its EventBridge `source`), a
 * versioned detail-type and a zod schema for its detail. A published
 * detail-type is never edited in place: a breaking change is a new `.vN`.
 */
export const EVENT_SOURCES = {
  orders: 'ticketing.orders',
  inventory: 'ticketing.inventory',
  billing: 'ticketing.billing',
  invoicing: 'ticketing.invoicing',
  /** No event yet: buyers poll their ticket; the source is reserved so the context's events have a home. */
  waitingRoom: 'ticketing.waiting-room',
} as const;

export type EventSource = (typeof EVENT_SOURCES)[keyof typeof EVENT_SOURCES];

export interface EventDefinition<TSchema extends z.ZodType = z.ZodType> {
  readonly detailType: string;
  readonly source: EventSource;
  readonly description: string;
  readonly schema: TSchema;
}

export const defineEvent = <TSchema extends z.ZodType>(definition: EventDefinition<TSchema>): EventDefinition<TSchema> =>
  definition;

/** A detail ready to publish, tagged with the definition that validates it. */
export interface DomainEvent<TSchema extends z.ZodType = z.ZodType> {
  readonly definition: EventDefinition<TSchema>;
  readonly detail: z.input<TSchema>;
}

export const domainEvent = <TSchema extends z.ZodType>(
  definition: EventDefinition<TSchema>,
  detail: z.input<TSchema>,
): DomainEvent<TSchema> => ({ definition, detail });

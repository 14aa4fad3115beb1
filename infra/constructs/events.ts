import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { TableId } from '#domain/tables';
import { PROJECTED_SEAT_EVENTS } from '#domain/catalog/seat-availability-projection';
import { EVENT_CATALOG } from '#events/catalog';
import type { EventDefinition } from '#events/event-definition';
import { createDeadLetterQueue } from './dead-letter-queue.ts';
import { TicketingFunction } from './functions.ts';
import { grantTableAccess, type TableAccessHandler } from './table-access.ts';

/** Every domain event carries a purchaseId, so the purchase status read model consumes the whole catalog. */
const PURCHASE_STATUS_EVENTS: readonly EventDefinition[] = EVENT_CATALOG;
/** The events that change a seat's state: those the seat availability projection has a projector for. */
const SEAT_AVAILABILITY_EVENTS: readonly EventDefinition[] = PROJECTED_SEAT_EVENTS.flatMap((detailType) =>
  EVENT_CATALOG.filter((definition) => definition.detailType === detailType),
);

/** The common prefix of every bounded context's event source. */
export const EVENT_SOURCE_PREFIX = 'ticketing.';

export interface TicketingEventsProps {
  /** The purchases table (status read model) and the seatAvailability table (seat map read model). */
  readonly tables: { readonly purchases: dynamodb.ITable; readonly seatAvailability: dynamodb.ITable };
  /**
   * How long the archive keeps events for replay.
   * @default Duration.days(365)
   */
  readonly archiveRetention?: Duration;
  /**
   * How often EventBridge retries delivering an event to a projection before
   * sending it to the projection's dead-letter queue.
   * @default 8
   */
  readonly deliveryRetryAttempts?: number;
  /**
   * The oldest event EventBridge still tries to deliver.
   * @default Duration.hours(2)
   */
  readonly deliveryMaxEventAge?: Duration;
}

/** A read model fed by the bus: its function, its rule and the dead-letter queue of both. */
export interface Projection {
  readonly function: TicketingFunction;
  readonly rule: events.Rule;
  readonly deadLetterQueue: sqs.Queue;
}

/**
 * The custom event bus every step publishes to, the archive of every
 * `ticketing.*` event (for replay), and the two projections the bus feeds.
 *
 * A projection event can fail in two places, and both end in the same
 * dead-letter queue: EventBridge failing to hand it to Lambda (the rule
 * target's retry policy), and the function failing after Lambda's own
 * asynchronous retries (the function's dead-letter queue). Projections are
 * idempotent and order-tolerant, so a dead letter can be redriven, or the
 * archive replayed, at any time.
 */
export class TicketingEvents extends Construct {
  public readonly bus: events.EventBus;
  public readonly archive: events.Archive;
  public readonly purchaseStatus: Projection;
  public readonly seatAvailability: Projection;

  constructor(scope: Construct, id: string, props: TicketingEventsProps) {
    super(scope, id);

    this.bus = new events.EventBus(this, 'Bus', {
      description: 'Domain events of the ticket purchase saga',
    });
    this.archive = new events.Archive(this, 'Archive', {
      sourceEventBus: this.bus,
      description: 'Every ticketing domain event, for replay into the projections',
      eventPattern: { source: events.Match.prefix(EVENT_SOURCE_PREFIX) },
      retention: props.archiveRetention ?? Duration.days(365),
    });
    // CDK renders an empty KmsKeyIdentifier when no key is given, which some regions reject; absent means AWS owned keys.
    (this.archive.node.defaultChild as events.CfnArchive).addPropertyDeletionOverride('KmsKeyIdentifier');

    const delivery = {
      retryAttempts: props.deliveryRetryAttempts ?? 8,
      maxEventAge: props.deliveryMaxEventAge ?? Duration.hours(2),
    };

    this.purchaseStatus = this.createProjection('PurchaseStatus', {
      handlerName: 'project-purchase-status',
      description: 'Projects every purchase event onto the purchase status read model',
      consumes: PURCHASE_STATUS_EVENTS,
      tables: { purchases: props.tables.purchases },
      config: { purchasesTable: props.tables.purchases.tableName },
      delivery,
    });
    this.seatAvailability = this.createProjection('SeatAvailability', {
      handlerName: 'project-seat-availability',
      description: 'Projects seat reservations, releases and sales onto the seat availability read model',
      consumes: SEAT_AVAILABILITY_EVENTS,
      tables: { seatAvailability: props.tables.seatAvailability },
      config: { seatAvailabilityTable: props.tables.seatAvailability.tableName },
      delivery,
    });
  }

  private createProjection(
    id: string,
    spec: {
      handlerName: TableAccessHandler;
      description: string;
      consumes: readonly EventDefinition[];
      tables: Readonly<Partial<Record<TableId, dynamodb.ITable>>>;
      config: { purchasesTable?: string; seatAvailabilityTable?: string };
      delivery: { retryAttempts: number; maxEventAge: Duration };
    },
  ): Projection {
    const deadLetterQueue = createDeadLetterQueue(this, `${id}DeadLetterQueue`);
    const projection = new TicketingFunction(this, `${id}Projection`, {
      handlerName: spec.handlerName,
      description: spec.description,
      config: spec.config,
      deadLetterQueue,
    });
    grantTableAccess(projection, spec.handlerName, spec.tables);

    const rule = new events.Rule(this, `${id}Rule`, {
      eventBus: this.bus,
      description: `${spec.description} (${spec.consumes.map((definition) => definition.detailType).join(', ')})`,
      eventPattern: eventPatternOf(spec.consumes),
      targets: [new targets.LambdaFunction(projection, { deadLetterQueue, ...spec.delivery })],
    });
    return { function: projection, rule, deadLetterQueue };
  }
}

/** Matches exactly the given events: their detail-types, from their own sources. */
const eventPatternOf = (definitions: readonly EventDefinition[]): events.EventPattern => ({
  source: [...new Set(definitions.map((definition) => definition.source))].sort(),
  detailType: definitions.map((definition) => definition.detailType),
});


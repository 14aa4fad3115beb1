import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { EventDefinition } from '#events/event-definition';
import { InvoiceCreatedEvent } from '#events/invoice-created';
import { InvoiceVoidedEvent } from '#events/invoice-voided';
import { PaymentChargedEvent } from '#events/payment-charged';
import { PaymentRefundedEvent } from '#events/payment-refunded';
import { PurchaseConfirmedEvent } from '#events/purchase-confirmed';
import { PurchaseFailedEvent } from '#events/purchase-failed';
import { PurchaseRequestedEvent } from '#events/purchase-requested';
import { PurchaseRequestedV2Event } from '#events/purchase-requested-v2';
import { SeatsReleasedEvent } from '#events/seats-released';
import { SeatsReservedEvent } from '#events/seats-reserved';

/**
 * The events each function publishes, as the same definitions its code passes
 * to `domainEvent()`. The infra tests compare this map with the context map's
 * scan of the handlers' code, so a handler that starts publishing another
 * event fails a test rather than its first PutEvents in AWS.
 */
export const PUBLISHED_EVENTS = {
  'create-purchase': [PurchaseRequestedEvent, PurchaseRequestedV2Event],
  'reserve-seats': [SeatsReservedEvent],
  'charge-payment': [PaymentChargedEvent],
  'create-invoice': [InvoiceCreatedEvent],
  'confirm-purchase': [PurchaseConfirmedEvent],
  'void-invoice': [InvoiceVoidedEvent],
  'refund-payment': [PaymentRefundedEvent],
  'release-seats': [SeatsReleasedEvent],
  'record-purchase-failure': [PurchaseFailedEvent],
  'sweep-purchases': [PurchaseFailedEvent],
} as const satisfies Readonly<Record<string, readonly EventDefinition[]>>;

export type PublishingHandler = keyof typeof PUBLISHED_EVENTS;

/**
 * PutEvents on the bus, only for the sources and detail-types the function
 * publishes: a function cannot speak for another bounded context or forge an
 * event the projections would trust.
 */
export const grantPublishing = (grantee: iam.IGrantable, handler: PublishingHandler, bus: events.IEventBus): void => {
  const definitions: readonly EventDefinition[] = PUBLISHED_EVENTS[handler];
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['events:PutEvents'],
      resources: [bus.eventBusArn],
      conditions: {
        StringEquals: {
          'events:source': [...new Set(definitions.map((definition) => definition.source))].sort(),
          'events:detail-type': definitions.map((definition) => definition.detailType),
        },
      },
    }),
  );
};

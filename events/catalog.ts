import { InvoiceCreatedEvent } from './invoice-created.ts';
import { InvoiceVoidedEvent } from './invoice-voided.ts';
import { PaymentChargedEvent } from './payment-charged.ts';
import { PaymentRefundedEvent } from './payment-refunded.ts';
import { PurchaseConfirmedEvent } from './purchase-confirmed.ts';
import { PurchaseFailedEvent } from './purchase-failed.ts';
import { PurchaseRequestedEvent } from './purchase-requested.ts';
import { PurchaseRequestedV2Event } from './purchase-requested-v2.ts';
import { SeatsReleasedEvent } from './seats-released.ts';
import { SeatsReservedEvent } from './seats-reserved.ts';

/** Every domain event the system publishes, in saga order. */
export const EVENT_CATALOG = [
  PurchaseRequestedEvent,
  PurchaseRequestedV2Event,
  SeatsReservedEvent,
  PaymentChargedEvent,
  InvoiceCreatedEvent,
  PurchaseConfirmedEvent,
  InvoiceVoidedEvent,
  PaymentRefundedEvent,
  SeatsReleasedEvent,
  PurchaseFailedEvent,
] as const;

export const findEventDefinition = (detailType: string) => EVENT_CATALOG.find((d) => d.detailType === detailType);

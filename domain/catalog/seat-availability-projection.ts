import type * as z from 'zod';
import type { EventDefinition } from '#events/event-definition';
import type { Money } from '#events/metadata';
import { PurchaseConfirmedEvent } from '#events/purchase-confirmed';
import { SeatsReleasedEvent } from '#events/seats-released';
import { SeatsReservedEvent } from '#events/seats-reserved';
import type { SeatStatus } from './concert.ts';

/**
 * One seat's new state in the availability read model. `version` is the
 * seat's write version in the seats table: the projection keeps the change
 * with the highest version, whatever order the events arrive in.
 */
export interface SeatAvailabilityChange {
  readonly concertId: string;
  readonly seatId: string;
  readonly version: number;
  readonly status: SeatStatus;
  /** The purchase holding or owning the seat; absent once the seat is available again. */
  readonly purchaseId?: string;
  readonly holdExpiresAt?: string;
  /** Carried by SeatsReserved; fills the price of a seat the projection has never seen. */
  readonly price?: Money;
}

type Projector = (detail: unknown) => SeatAvailabilityChange[];

const on = <TSchema extends z.ZodType>(
  definition: EventDefinition<TSchema>,
  project: (detail: z.output<TSchema>) => SeatAvailabilityChange[],
): [string, Projector] => [definition.detailType, (detail) => project(definition.schema.parse(detail))];

const PROJECTORS = new Map<string, Projector>([
  on(SeatsReservedEvent, (d) =>
    d.seats.map((seat) => ({
      concertId: d.concertId,
      seatId: seat.seatId,
      version: seat.version,
      status: 'HELD',
      purchaseId: d.purchaseId,
      holdExpiresAt: d.holdExpiresAt,
      price: seat.price,
    })),
  ),
  on(SeatsReleasedEvent, (d) =>
    d.seats.map((seat) => ({ concertId: d.concertId, seatId: seat.seatId, version: seat.version, status: 'AVAILABLE' })),
  ),
  on(PurchaseConfirmedEvent, (d) =>
    d.seats.map((seat) => ({
      concertId: d.concertId,
      seatId: seat.seatId,
      version: seat.version,
      status: 'SOLD',
      purchaseId: d.purchaseId,
    })),
  ),
]);

/** The seat changes one event makes; empty for an event the projection does not follow. */
export const seatAvailabilityChangesFor = (detailType: string, detail: unknown): SeatAvailabilityChange[] =>
  PROJECTORS.get(detailType)?.(detail) ?? [];

export const PROJECTED_SEAT_EVENTS: readonly string[] = [...PROJECTORS.keys()];

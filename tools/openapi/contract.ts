import * as z from 'zod';
import { concertSchema } from '#domain/catalog/concert';
import { correlationIdSchema, idempotencyKeySchema, purchaseRequestSchema } from '#domain/orders/purchase-request';
import { concertIdSchema, moneySchema, purchaseIdSchema, seatIdSchema } from '#events/metadata';
import { failureReasonSchema } from '#events/purchase-failed';
import { ticketIdSchema } from '#domain/waiting-room/queue-ticket';
import type { API_ROUTES } from '#infra/constructs/api';

/**
 * The buyer API as it is published (docs/openapi.json): each route's
 * parameters, body and answers. The request bodies are the schemas the
 * handlers validate with; the answers are written here, apart from the
 * handlers, and the end-to-end tests parse every answer they get with them,
 * so the published description is held to what the API really sends.
 */

/** Every error a client receives; `error` is a stable code to switch on. */
export const errorBodySchema = z
  .object({
    error: z.string().meta({ description: 'A stable code, e.g. ValidationError, PurchaseNotFound' }),
    message: z.string().meta({ description: 'What went wrong, for a person' }),
    issues: z
      .array(
        z.object({
          field: z.string().meta({ description: 'The body field or the header the issue is about' }),
          message: z.string(),
        }),
      )
      .optional()
      .meta({ description: 'One entry per invalid field, on a ValidationError' }),
  })
  .meta({ id: 'Error' });

/** What API Gateway itself answers, before any function runs (no token, throttled). */
const gatewayErrorSchema = z.object({ message: z.string() }).meta({ id: 'GatewayError' });

export const acceptedPurchaseSchema = z
  .object({
    purchaseId: purchaseIdSchema,
    status: z.literal('QUEUED'),
    statusUrl: z.string().startsWith('/purchases/').meta({ description: 'Where to poll the purchase; also the Location header' }),
  })
  .meta({ id: 'AcceptedPurchase' });

const PURCHASE_VIEW_STATUSES = ['QUEUED', 'RESERVED', 'PAID', 'CONFIRMED', 'FAILED'] as const;

/** Loose: a field added later must not break a client that reads this version. */
export const purchaseViewSchema = z
  .looseObject({
    purchaseId: purchaseIdSchema,
    status: z.enum(PURCHASE_VIEW_STATUSES).meta({ description: 'CONFIRMED and FAILED are final' }),
    concertId: concertIdSchema.optional(),
    bestAvailable: z
      .object({ quantity: z.number().int().min(1), priceBand: z.string().optional() })
      .optional()
      .meta({ description: 'What the buyer asked for when it asked for a quantity instead of naming seats' }),
    seatIds: z.array(seatIdSchema).optional().meta({ description: 'The seats named, or once reserved the best available seats chosen' }),
    total: moneySchema.optional(),
    invoiceId: z.string().optional(),
    paymentRef: z.string().optional(),
    failure: z
      .object({
        reason: failureReasonSchema.optional(),
        message: z.string().optional(),
        failedStep: z.string().optional(),
        paymentRefunded: z.boolean().meta({ description: 'Whether a charge was given back' }),
      })
      .optional()
      .meta({ description: 'Only on a FAILED purchase' }),
    createdAt: z.iso.datetime().optional(),
    updatedAt: z.iso.datetime().optional(),
  })
  .meta({ id: 'Purchase' });

const seatStatusSchema = z.enum(['AVAILABLE', 'HELD', 'SOLD']);

export const seatMapSchema = z
  .looseObject({
    concert: concertSchema,
    counts: z.object({ total: z.number().int(), available: z.number().int(), held: z.number().int(), sold: z.number().int() }),
    rows: z.array(
      z.object({
        row: z.string(),
        seats: z.array(z.object({ seatId: seatIdSchema, number: z.number().int(), price: moneySchema.optional(), status: seatStatusSchema })),
      }),
    ),
  })
  .meta({ id: 'SeatMap', description: 'Rows in venue order, seats by number; availability comes from a projection, a second or so behind' });

/** A buyer's place in a gated concert's line. Loose: a field added later must not break a client that reads this version. */
export const queueTicketSchema = z
  .looseObject({
    ticketId: ticketIdSchema,
    concertId: concertIdSchema,
    status: z.enum(['WAITING', 'ADMITTED', 'EXPIRED']).meta({ description: 'ADMITTED carries the admission token; EXPIRED means it was not used in time' }),
    position: z.number().int().positive().nullable().meta({ description: 'Fixed once known; null before the start, until the pre-queue is shuffled' }),
    peopleAhead: z.number().int().nonnegative().nullable().meta({ description: 'Only ever goes down; null while the position is unknown' }),
    estimatedWaitSeconds: z.number().nonnegative().nullable().meta({ description: 'From the admission rate measured over the last minutes; null until it is measured' }),
    onSaleStartsAt: z.iso.datetime({ offset: true }),
    admissionToken: z.string().optional().meta({ description: 'Once ADMITTED: send it as X-Admission-Token with POST /purchases' }),
    admissionExpiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .meta({ id: 'QueueTicket' });

interface Answer {
  readonly description: string;
  readonly body: z.ZodType;
  readonly headers?: Readonly<Record<string, string>>;
}

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'header';
  readonly schema: z.ZodType;
  readonly required: boolean;
  readonly description: string;
}

export interface RouteContract {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly summary: string;
  readonly parameters: readonly Parameter[];
  readonly requestBody?: z.ZodType;
  readonly answers: Readonly<Record<number, Answer>>;
}

const failed = (description: string): Answer => ({ description, body: errorBodySchema });

/** Every route answers these the same way. */
const COMMON_ANSWERS: Readonly<Record<number, Answer>> = {
  401: {
    description: 'No valid bearer token: refused by the API before any function runs (a WWW-Authenticate header says why)',
    body: gatewayErrorSchema.or(errorBodySchema),
  },
  429: { description: "Throttled by the API stage's rate limit: retry later, with the same Idempotency-Key", body: gatewayErrorSchema },
  500: failed('An unexpected failure; nothing about it is told to the client. Retry with the same Idempotency-Key'),
};

const pathParameter = (name: string, schema: z.ZodType): Parameter => ({
  name,
  in: 'path',
  schema,
  required: true,
  description: 'A malformed value is answered like an unknown one: 404',
});

/** One entry per route of API_ROUTES (infra/constructs/api.ts), which wires the same method and path. */
export const API_CONTRACT = {
  createPurchase: {
    method: 'POST',
    path: '/purchases',
    summary: 'Ask for seats: the purchase is recorded and queued for the saga, then polled at its statusUrl',
    parameters: [
      {
        name: 'Idempotency-Key',
        in: 'header',
        schema: idempotencyKeySchema,
        required: false,
        description: 'Sending the same request again with the same key returns the same purchase; a different request with it is a 409',
      },
      {
        name: 'X-Admission-Token',
        in: 'header',
        schema: z.string().min(1),
        required: false,
        description: "Required for a concert sold through a waiting room: the admissionToken of the buyer's ticket, once ADMITTED",
      },
      {
        name: 'X-Correlation-Id',
        in: 'header',
        schema: correlationIdSchema,
        required: false,
        description: "Followed through the logs and events of this purchase; the API's request id when absent or malformed",
      },
    ],
    requestBody: purchaseRequestSchema.meta({
      description: 'Name the seats (seatIds), or ask for a quantity of the best available seats, optionally in one price band: exactly one of seatIds and quantity, and priceBand only with quantity',
    }),
    answers: {
      202: { description: 'Accepted and queued', body: acceptedPurchaseSchema, headers: { Location: 'The statusUrl' } },
      400: failed('The body is not JSON (MalformedJson) or a field is invalid (ValidationError, with one issue per field)'),
      403: failed("The concert sells through its waiting room: AdmissionRequired (no X-Admission-Token), AdmissionInvalid (not this buyer's for this concert), AdmissionExpired"),
      404: failed('ConcertNotFound'),
      409: failed('IdempotencyKeyReused: the key was sent before with a different request'),
      422: failed('UnknownSeats: the concert has no seat with one of these ids; UnknownPriceBand: the concert has no such band (the message lists its bands)'),
      ...COMMON_ANSWERS,
    },
  },
  getPurchase: {
    method: 'GET',
    path: '/purchases/{purchaseId}',
    summary: "A purchase's status, for its buyer only",
    parameters: [pathParameter('purchaseId', purchaseIdSchema)],
    answers: {
      200: { description: 'The purchase as its buyer sees it', body: purchaseViewSchema },
      404: failed("PurchaseNotFound: no such purchase, or another buyer's (the same answer, so ids reveal nothing)"),
      ...COMMON_ANSWERS,
    },
  },
  getConcertSeats: {
    method: 'GET',
    path: '/concerts/{concertId}/seats',
    summary: "A concert's seat map with prices and availability",
    parameters: [pathParameter('concertId', concertIdSchema)],
    answers: {
      200: { description: 'The seat map', body: seatMapSchema },
      404: failed('ConcertNotFound'),
      ...COMMON_ANSWERS,
    },
  },
  joinQueue: {
    method: 'POST',
    path: '/concerts/{concertId}/queue',
    summary: "Join a gated concert's line; joining again answers the same ticket, so a refresh never loses a place",
    parameters: [pathParameter('concertId', concertIdSchema)],
    answers: {
      201: { description: "The buyer's ticket", body: queueTicketSchema, headers: { Location: 'Where to poll the ticket' } },
      404: failed('ConcertNotFound, or NoWaitingRoom: the concert is not gated, buy directly'),
      ...COMMON_ANSWERS,
    },
  },
  getQueueTicket: {
    method: 'GET',
    path: '/concerts/{concertId}/queue/{ticketId}',
    summary: 'A ticket of the line, for its buyer only: position, people ahead, estimated wait, and the admission token once admitted',
    parameters: [pathParameter('concertId', concertIdSchema), pathParameter('ticketId', ticketIdSchema)],
    answers: {
      200: { description: 'The ticket', body: queueTicketSchema },
      404: failed("TicketNotFound: no such ticket, or another buyer's"),
      ...COMMON_ANSWERS,
    },
  },
} as const satisfies Readonly<Record<keyof typeof API_ROUTES, RouteContract>>;

import { z } from 'zod';
import { eventEnvelopeSchema } from './envelope.ts';
import type { EventBridgeStorage } from './storage.ts';

/**
 * The deliveries the bus still owes. Once PutEvents accepts an event, AWS
 * delivers it to every matching target (retrying for up to a day) whatever
 * happens to the caller. Locally the deliveries run in this process, so a
 * runtime killed mid-delivery would lose them, and with them the projection
 * updates of a saga's last events: a purchase would stay PAID in the read
 * model after its execution confirmed it. So each accepted event is logged
 * before PutEvents answers and marked settled once all its deliveries are
 * done (delivered, dead-lettered or dropped), and a bus opened over the same
 * folder delivers the unsettled ones again: at least once, as AWS promises,
 * which the idempotent consumers absorb.
 */

const LOG = 'owed-deliveries';

const owedDeliverySchema = z.object({ busName: z.string(), ingestedAt: z.number(), event: eventEnvelopeSchema });
export type OwedDelivery = z.infer<typeof owedDeliverySchema>;

const logLineSchema = z.union([z.object({ owed: owedDeliverySchema }), z.object({ settled: z.string() })]);
type LogLine = z.infer<typeof logLineSchema>;

/** A torn or unreadable line (the process died while writing it) owes nothing. */
const parseLine = (line: string): LogLine | undefined => {
  try {
    const parsed = logLineSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};

export class OwedDeliveries {
  private constructor(private readonly storage: EventBridgeStorage | undefined) {}

  /**
   * Opens the log and returns what a previous run left undelivered, after
   * compacting the log down to it. Without storage (an in-memory runtime)
   * nothing is written: there is no next run to deliver anything.
   */
  static async open(storage: EventBridgeStorage | undefined): Promise<{ journal: OwedDeliveries; owed: OwedDelivery[] }> {
    if (!storage) return { journal: new OwedDeliveries(undefined), owed: [] };
    const lines = (await storage.readLines(LOG)).map(parseLine).filter((line) => line !== undefined);
    const settled = new Set(lines.flatMap((line) => ('settled' in line ? [line.settled] : [])));
    const owed = lines.flatMap((line) => ('owed' in line && !settled.has(line.owed.event.id) ? [line.owed] : []));
    await storage.replaceLines(LOG, owed.map((delivery) => JSON.stringify({ owed: delivery })));
    return { journal: new OwedDeliveries(storage), owed };
  }

  /** Resolves once the deliveries are written, so PutEvents only answers for events that survive a crash. */
  async owe(deliveries: readonly OwedDelivery[]): Promise<void> {
    if (!this.storage || deliveries.length === 0) return;
    await this.storage.appendLines(LOG, deliveries.map((delivery) => JSON.stringify({ owed: delivery })));
  }

  async settle(eventId: string): Promise<void> {
    await this.storage?.appendLines(LOG, [JSON.stringify({ settled: eventId })]);
  }
}

import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { eventBridgeEnvelopeSchema } from '#events/envelope';
import type { ArchivedEvent, ArchivePort } from './ports.ts';

const purchaseOfDetailSchema = z.object({ purchaseId: z.string() });
/** The local runtime's archive log wraps each envelope with the time it archived it. */
const archiveRecordSchema = z.object({ event: eventBridgeEnvelopeSchema });

const parseLine = (line: string): ArchivedEvent | undefined => {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return undefined;
  }
  const envelope = archiveRecordSchema.safeParse(json).data?.event ?? eventBridgeEnvelopeSchema.safeParse(json).data;
  if (!envelope) return undefined;
  const time = new Date(envelope.time);
  if (Number.isNaN(time.getTime())) return undefined;
  return { id: envelope.id, detailType: envelope['detail-type'], source: envelope.source, time, detail: envelope.detail };
};

/**
 * The local runtime's archive: a JSON Lines file, one archived event a line,
 * either the envelope EventBridge delivers or {archivedAt, event: envelope}
 * as the local EventBridge writes its archive log. Read as a stream, since an on-sale
 * archives thousands of events. A line that is not an event (say, half
 * written while the runtime appends) is skipped.
 */
export const createArchiveFile = (file: string): ArchivePort => {
  const read = async (keep: (event: ArchivedEvent) => boolean): Promise<ArchivedEvent[]> => {
    if (!existsSync(file)) return [];
    const kept: ArchivedEvent[] = [];
    const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    for await (const line of lines) {
      const event = line.trim() ? parseLine(line) : undefined;
      if (event && keep(event)) kept.push(event);
    }
    return kept;
  };

  return {
    location: file,
    async eventsOfPurchase(purchaseId) {
      const events = await read((event) => purchaseOfDetailSchema.safeParse(event.detail).data?.purchaseId === purchaseId);
      return events.sort((a, b) => a.time.getTime() - b.time.getTime());
    },
    async countBetween(from, to, detailType) {
      const events = await read((event) => event.time >= from && event.time <= to && (detailType === undefined || event.detailType === detailType));
      return events.length;
    },
  };
};

import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { eventBridgeEnvelopeSchema } from '#events/envelope';
import type { ArchivedEvent, ArchivePort } from './ports.ts';

const purchaseOfDetailSchema = z.object({ purchaseId: z.string() });

const parseLine = (line: string): ArchivedEvent | undefined => {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return undefined;
  }
  const envelope = eventBridgeEnvelopeSchema.safeParse(json);
  if (!envelope.success) return undefined;
  const time = new Date(envelope.data.time);
  if (Number.isNaN(time.getTime())) return undefined;
  return { id: envelope.data.id, detailType: envelope.data['detail-type'], source: envelope.data.source, time, detail: envelope.data.detail };
};

/**
 * The local runtime's archive: a JSON Lines file, one archived event a line
 * in the envelope EventBridge delivers. Read as a stream, since an on-sale
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

import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import type { HistoryEvent } from './history-events.ts';

/**
 * A finished execution's history, kept in memory as deflated JSON. An
 * in-memory runtime keeps every history for GetExecutionHistory, and as
 * objects one costs tens of kilobytes (each event a nest of small objects
 * and strings): ten thousand purchases held hundreds of megabytes that
 * nobody reads until support asks for one. Packed, the same history takes
 * a few kilobytes; it is read back exactly as it was written.
 */
export type PackedHistory = Buffer;

/** The fastest level: the repeated keys of the events are where the saving is, and packing runs on the main thread. */
const PACK_OPTIONS = { level: constants.Z_BEST_SPEED };

export const packHistory = (events: readonly HistoryEvent[]): PackedHistory => {
  const deflated = deflateRawSync(JSON.stringify(events), PACK_OPTIONS);
  // zlib answers with a slice of its 64 KiB output chunk, which would keep the whole chunk alive for
  // a history of a kilobyte: copied to a buffer of its own size, ten thousand histories weigh megabytes.
  const packed = Buffer.allocUnsafeSlow(deflated.length);
  deflated.copy(packed);
  return packed;
};

/** The events as `packHistory` got them; the store only packs what it recorded, so no validation is needed. */
export const unpackHistory = (packed: PackedHistory): HistoryEvent[] => JSON.parse(inflateRawSync(packed).toString('utf8')) as HistoryEvent[];

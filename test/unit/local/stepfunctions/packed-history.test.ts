import type { HistoryEvent } from '#local/stepfunctions/history-events';
import { packHistory, unpackHistory } from '#local/stepfunctions/packed-history';

/** A history the size of a purchase's: a few dozen events, each with its input or output. */
const history = (): HistoryEvent[] =>
  Array.from({ length: 40 }, (_, index) => ({
    id: index + 1,
    previousEventId: index,
    timestamp: new Date(Date.UTC(2026, 11, 7, 20, 0, index)),
    type: 'TaskStateEntered',
    stateEnteredEventDetails: { name: `State${index}`, input: JSON.stringify({ purchaseId: `p-${index}`, seatIds: ['A-1', 'A-2'] }) },
  })) as unknown as HistoryEvent[];

describe('packHistory', () => {
  it('reads back exactly the events it packed', () => {
    // Arrange
    const events = history();

    // Act
    const unpacked = unpackHistory(packHistory(events));

    // Assess
    expect(unpacked).toEqual(JSON.parse(JSON.stringify(events)));
  });

  it('holds no more memory than its own bytes: ten thousand histories stay in memory', () => {
    // Act
    const packed = packHistory(history());

    // Assess: zlib hands out a slice of its 16 KiB output chunk, which would keep the whole chunk alive
    expect(packed.length).toBeLessThan(2_048);
    expect(packed.buffer.byteLength).toBe(packed.length);
  });
});

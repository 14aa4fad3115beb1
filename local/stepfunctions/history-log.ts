import type { HistoryEvent, NewHistoryEvent } from './history-events.ts';

/**
 * The append-only history of one execution. Ids start at 1 and each event
 * points at the one before it (`previousEventId`), as in a sequential AWS
 * history. A redriven execution keeps appending to the same log, so its
 * earlier attempt stays visible.
 */
export class HistoryLog {
  constructor(
    private readonly log: HistoryEvent[],
    private readonly onAppend: (event: HistoryEvent) => void = () => undefined,
    private readonly clock: () => number = Date.now,
  ) {}

  get events(): readonly HistoryEvent[] {
    return this.log;
  }

  append(event: NewHistoryEvent): HistoryEvent {
    const previous = this.log.at(-1);
    const stored: HistoryEvent = {
      ...event,
      id: (previous?.id ?? 0) + 1,
      previousEventId: previous?.id ?? 0,
      timestamp: this.clock(),
    };
    this.log.push(stored);
    this.onAppend(stored);
    return stored;
  }

  /** Where a redrive or a resume picks up: the last top-level state entered, with the input it had. */
  lastEnteredState(topLevelStates: ReadonlySet<string>): { name: string; input: string } | undefined {
    for (let index = this.log.length - 1; index >= 0; index--) {
      const details = this.log[index]?.stateEnteredEventDetails;
      const name = details?.['name'];
      const input = details?.['input'];
      if (typeof name === 'string' && typeof input === 'string' && topLevelStates.has(name)) return { name, input };
    }
    return undefined;
  }
}

import { DependencyUnavailableError } from '#domain/errors';
import { writeSeatsOptimistically, type PlanSeats } from '#domain/inventory/optimistic-seat-write';
import { SeatWriteConflictError, type SeatStore, type SeatTransition } from '#domain/inventory/ports';
import { CONCERT_ID, seat } from './in-memory-seat-store.ts';

const hold: SeatTransition = { seatId: 'A-1', expectedVersion: 1, change: { status: 'HELD', holderPurchaseId: 'purchase-1', holdExpiresAt: 1_800_000_000 } };
const planHold: PlanSeats<string> = () => ({ transitions: [hold], result: 'held' });

/** A store whose write fails with `failure` every time; it counts the reads, one per round. */
const failingStore = (failure: () => Error) => {
  const counts = { reads: 0, writes: 0 };
  const store: SeatStore = {
    getSeats: async () => {
      counts.reads += 1;
      return new Map([['A-1', seat('A-1')]]);
    },
    listSeatsOpenTo: async () => [seat('A-1')],
    applyTransitions: async () => {
      counts.writes += 1;
      throw failure();
    },
  };
  return { store, counts };
};
const alwaysConflicting = () => failingStore(() => new SeatWriteConflictError(['A-1', 'A-2']));

afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

describe('seats that keep changing', () => {
  test('are given up after exactly the allowed number of rounds, pausing between rounds only', async () => {
    // Prepare
    const { store, counts } = alwaysConflicting();
    const pauses: number[] = [];

    // Act
    const failure = writeSeatsOptimistically(store, CONCERT_ID, ['A-1'], planHold, { maxAttempts: 3, pause: async (attempt) => void pauses.push(attempt) });

    // Assess
    await expect(failure).rejects.toThrow(DependencyUnavailableError);
    expect(counts.reads).toBe(3);
    expect(pauses).toEqual([1, 2]);
  });

  test('end in a DependencyUnavailable that names the rounds and the seats, caused by the last conflict', async () => {
    // Prepare
    const { store } = alwaysConflicting();

    // Act
    const failure = writeSeatsOptimistically(store, CONCERT_ID, ['A-1'], planHold, { maxAttempts: 2, pause: async () => undefined });

    // Assess: an operator reading the retried error sees how hard it tried and on which seats
    await expect(failure).rejects.toThrow('Seats kept changing during 2 attempts: A-1, A-2');
    await expect(failure).rejects.toMatchObject({ cause: expect.any(SeatWriteConflictError) });
  });

  test('are tried four times unless told otherwise', async () => {
    // Prepare
    const { store, counts } = alwaysConflicting();

    // Act
    const failure = writeSeatsOptimistically(store, CONCERT_ID, ['A-1'], planHold, { pause: async () => undefined });

    // Assess
    await expect(failure).rejects.toThrow(DependencyUnavailableError);
    expect(counts.reads).toBe(4);
  });

  test('are read again after a random pause that doubles its ceiling each round', async () => {
    // Prepare: Math.random() = 0.5 puts each pause at half its ceiling of 20 ms * 2^(round - 1)
    jest.useFakeTimers();
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    const { store, counts } = alwaysConflicting();

    // Act
    const failure = writeSeatsOptimistically(store, CONCERT_ID, ['A-1'], planHold, { maxAttempts: 3 });
    const outcome = failure.catch((error: unknown) => error);

    // Assess
    await jest.advanceTimersByTimeAsync(9);
    expect(counts.reads).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(counts.reads).toBe(2);
    await jest.advanceTimersByTimeAsync(19);
    expect(counts.reads).toBe(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(counts.reads).toBe(3);
    expect(await outcome).toBeInstanceOf(DependencyUnavailableError);
  });
});

test('a write failure that is not a conflict is passed on at once, without another round', async () => {
  // Prepare
  const error = new Error('connect ECONNREFUSED');
  const { store, counts } = failingStore(() => error);

  // Act
  const failure = writeSeatsOptimistically(store, CONCERT_ID, ['A-1'], planHold, { pause: async () => undefined });

  // Assess
  await expect(failure).rejects.toBe(error);
  expect(counts.reads).toBe(1);
});

test('a plan with nothing to write returns its result without a write', async () => {
  // Prepare
  const { store, counts } = alwaysConflicting();

  // Act
  const result = await writeSeatsOptimistically(store, CONCERT_ID, ['A-1'], () => ({ transitions: [], result: 'unchanged' }));

  // Assess
  expect(result).toBe('unchanged');
  expect(counts.writes).toBe(0);
});

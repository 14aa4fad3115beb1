import { mapWithConcurrency } from '#domain/orders/bounded-concurrency';

/** A task per item that stays open until released, so the test controls what is in flight. */
const gatedTasks = () => {
  let inFlight = 0;
  let peak = 0;
  const release: Array<() => void> = [];
  const run = async (item: number) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise<void>((resolve) => release.push(resolve));
    inFlight--;
    return item * 10;
  };
  const releaseAll = async () => {
    // The limiter may start its first tasks on a later turn, so wait one before looking.
    do {
      release.splice(0).forEach((resolve) => resolve());
      await new Promise<void>((resolve) => setImmediate(resolve));
    } while (release.length > 0 || inFlight > 0);
  };
  return { run, releaseAll, peak: () => peak };
};

test('never has more than the limit in flight', async () => {
  const tasks = gatedTasks();

  const done = mapWithConcurrency([1, 2, 3, 4, 5, 6, 7], 3, tasks.run);
  await tasks.releaseAll();
  await done;

  expect(tasks.peak()).toBe(3);
});

test('returns the results in input order', async () => {
  const results = await mapWithConcurrency([30, 10, 20], 2, async (ms) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return ms;
  });

  expect(results).toEqual([30, 10, 20]);
});

test('handles an empty list', async () => {
  expect(await mapWithConcurrency([], 4, async () => 1)).toEqual([]);
});

test('refuses a limit below 1', async () => {
  await expect(mapWithConcurrency([1], 0, async () => 1)).rejects.toThrow(RangeError);
});

test('runs one at a time with a limit of 1', async () => {
  // Act
  const results = await mapWithConcurrency([1, 2], 1, async (item) => item * 10);

  // Assess
  expect(results).toEqual([10, 20]);
});

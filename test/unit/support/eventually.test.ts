import { eventually, EventuallyTimeoutError } from '#test/support/eventually';

/** A counter that only reaches `target` after a few reads, as a value written by async work would. */
const countingProbe = () => {
  let reads = 0;
  return { read: () => ++reads, reads: () => reads };
};

test('returns the value that satisfied the condition, even when it holds only after several reads', async () => {
  // Prepare
  const counter = countingProbe();

  // Act
  const value = await eventually(counter.read, (count) => count >= 4, { what: 'the fourth read', intervalMs: 1 });

  // Assess
  expect(value).toBe(4);
  expect(counter.reads()).toBe(4);
});

test('waits for a condition that async work makes true later', async () => {
  // Prepare
  let done = false;
  setTimeout(() => (done = true), 50);

  // Act
  const value = await eventually(() => done, (isDone) => isDone, { what: 'the work to finish', timeoutMs: 2_000 });

  // Assess
  expect(value).toBe(true);
});

test('awaits an async probe', async () => {
  // Act
  const value = await eventually(async () => 'ready', (status) => status === 'ready', { what: 'ready' });

  // Assess
  expect(value).toBe('ready');
});

test('fails at the deadline naming what it awaited and the last value it saw', async () => {
  // Prepare
  const counter = countingProbe();

  // Act
  const waiting = eventually(() => ({ status: 'RUNNING', reads: counter.read() }), (view) => view.status === 'DONE', {
    what: 'the job to be DONE',
    timeoutMs: 60,
    intervalMs: 10,
  });

  // Assess
  await expect(waiting).rejects.toThrow(EventuallyTimeoutError);
  await expect(waiting).rejects.toThrow(/^Timed out after 60 ms waiting for the job to be DONE; last seen: \{"status":"RUNNING","reads":\d+\}$/);
  expect(counter.reads()).toBeGreaterThan(1);
});

test('shows the last value as the caller describes it', async () => {
  // Act
  const waiting = eventually(() => new Map([['A-1', 'HELD']]), (seats) => seats.get('A-1') === 'SOLD', {
    what: 'A-1 to be SOLD',
    timeoutMs: 20,
    describe: (seats) => JSON.stringify(Object.fromEntries(seats)),
  });

  // Assess
  await expect(waiting).rejects.toThrow('last seen: {"A-1":"HELD"}');
});

test('stops at the first error the probe throws', async () => {
  // Prepare
  let reads = 0;

  // Act
  const waiting = eventually(
    () => {
      reads++;
      throw new Error('GET /purchases/p-1 answered HTTP 500');
    },
    () => true,
    { what: 'p-1' },
  );

  // Assess
  await expect(waiting).rejects.toThrow('HTTP 500');
  expect(reads).toBe(1);
});

import { checkLineOrder, type BuyerInLine, type TicketObservation } from '#tools/onsale/line-order';

/**
 * Lines as their buyers saw them: a join answer, then polls. Times are
 * small integers; each answer comes back 1 after it was sent.
 */

const waiting = (at: number, position: number | null, peopleAhead: number | null): TicketObservation => ({ sentAt: at, answeredAt: at + 1, status: 'WAITING', position, peopleAhead });
const admitted = (at: number, position: number, admittedAtSecond: number): TicketObservation => ({
  sentAt: at,
  answeredAt: at + 1,
  status: 'ADMITTED',
  position,
  peopleAhead: 0,
  admissionExpiresAt: (admittedAtSecond + 600) * 1_000,
});
const buyer = (buyerId: string, beforeStart: boolean, ...observations: TicketObservation[]): BuyerInLine => ({ buyerId, beforeStart, observations });

/** Two buyers drawn from the pre-queue, one who joined after the start; all admitted in order. */
const HEALTHY_LINE: readonly BuyerInLine[] = [
  buyer('early-a', true, waiting(0, null, null), waiting(20, 2, 1), admitted(40, 2, 35)),
  buyer('early-b', true, waiting(0, null, null), waiting(20, 1, 0), admitted(30, 1, 25)),
  buyer('late-c', false, waiting(10, null, null), waiting(20, 4, 2), waiting(40, 4, 0), admitted(50, 4, 45)),
];

const checkNamed = (buyers: readonly BuyerInLine[], start: string) => {
  const check = checkLineOrder(buyers).checks.find((candidate) => candidate.name.startsWith(start));
  if (!check) throw new Error(`no check named ${start}`);
  return check;
};

test('a line kept in order passes every check', () => {
  // Act
  const report = checkLineOrder(HEALTHY_LINE);

  // Assess
  expect(report.checks.filter((check) => !check.ok)).toEqual([]);
  expect(report).toMatchObject({ preQueue: 2, afterStart: 1 });
});

test('a buyer still waiting at the end fails the admission check', () => {
  // Act
  const check = checkNamed([...HEALTHY_LINE, buyer('late-d', false, waiting(10, null, null), waiting(60, 5, 1))], 'every buyer');

  // Assess
  expect(check).toMatchObject({ ok: false, detail: '1 offending: late-d WAITING' });
});

test('a position that changes once known fails', () => {
  // Act
  const check = checkNamed([buyer('early-a', true, waiting(0, null, null), waiting(20, 2, 1), admitted(40, 3, 35))], 'positions are fixed');

  // Assess
  expect(check).toMatchObject({ ok: false, detail: '1 offending: early-a saw 2, 3' });
});

test('people ahead that rise with no join in flight fail', () => {
  // Act
  const check = checkNamed([buyer('early-a', true, waiting(0, null, null), waiting(20, 2, 1), waiting(30, 2, 2), admitted(40, 2, 35))], 'people ahead');

  // Assess
  expect(check.ok).toBe(false);
  expect(check.detail).toContain('early-a saw 1 then 2 with 0 joins in flight');
});

test('people ahead may rise by the joins answered between two polls: they were placed ahead', () => {
  // Prepare: late-e is told 5 ahead, then 6 once late-f, on a lagging counter shard, took a position before it.
  const line = [buyer('late-e', false, waiting(100, 20, 5), waiting(110, 20, 6)), buyer('late-f', false, waiting(103, 18, 4))];

  // Act
  const check = checkNamed(line, 'people ahead');

  // Assess
  expect(check).toMatchObject({ ok: true, detail: expect.stringContaining('1 rises') });
});

test('a rise larger than the joins in flight fails', () => {
  // Act
  const check = checkNamed([buyer('late-e', false, waiting(100, 20, 5), waiting(110, 20, 7)), buyer('late-f', false, waiting(103, 18, 4))], 'people ahead');

  // Assess
  expect(check.ok).toBe(false);
});

test('a pre-queue that is not exactly positions 1..N fails', () => {
  // Act
  const check = checkNamed([buyer('early-a', true, admitted(40, 1, 35)), buyer('early-b', true, admitted(40, 3, 35))], 'the pre-queue');

  // Assess
  expect(check).toMatchObject({ ok: false, detail: '1 offending: early-b at 3' });
});

test('an after-start joiner placed inside the pre-queue fails', () => {
  // Act
  const check = checkNamed([buyer('early-a', true, admitted(40, 1, 35)), buyer('early-b', true, admitted(40, 2, 35)), buyer('late-c', false, admitted(50, 2, 45))], 'after the start');

  // Assess
  expect(check).toMatchObject({ ok: false, detail: '1 offending: late-c at 2' });
});

test('an admission handed out before that of a buyer further ahead fails', () => {
  // Act
  const check = checkNamed([buyer('early-a', true, admitted(40, 1, 30)), buyer('early-b', true, admitted(40, 2, 25))], 'buyers are admitted');

  // Assess
  expect(check).toMatchObject({ ok: false, detail: '1 offending: early-b (2) admitted before early-a (1)' });
});

test('a buyer told it waits by a poll sent after someone behind it was told admitted fails', () => {
  // Prepare: early-b (position 2) is admitted at 31; early-a (position 1) polls at 35 and still waits.
  const line = [buyer('early-a', true, waiting(35, 1, 0), admitted(50, 1, 45)), buyer('early-b', true, admitted(30, 2, 45))];

  // Act
  const check = checkNamed(line, 'buyers are admitted');

  // Assess
  expect(check.ok).toBe(false);
  expect(check.detail).toContain('early-a (1) still waiting after early-b (2) was admitted');
});

test('answers that overlap in time prove nothing about the order', () => {
  // Prepare: early-a's poll left at 30, before early-b's admission came back at 31.
  const line = [buyer('early-a', true, waiting(30, 1, 0), admitted(50, 1, 25)), buyer('early-b', true, admitted(30, 2, 25))];

  // Act
  const check = checkNamed(line, 'buyers are admitted');

  // Assess
  expect(check.ok).toBe(true);
});

test('after-start joiners who passed someone whose join had been answered before theirs are counted, with the furthest pass', () => {
  // Prepare: late-c's join was answered at 11; late-d and late-e sent theirs later but stand ahead of it.
  const line = [
    buyer('late-c', false, waiting(10, 30, 2), admitted(60, 30, 50)),
    buyer('late-d', false, waiting(20, 27, 1), admitted(60, 27, 50)),
    buyer('late-e', false, waiting(20, 25, 0), admitted(60, 25, 50)),
  ];

  // Act
  const { overtaking } = checkLineOrder(line);

  // Assess
  expect(overtaking).toEqual({ buyers: 2, maxPositions: 5 });
});

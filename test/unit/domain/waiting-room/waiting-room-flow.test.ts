import { admitBuyers, DRAW_GRACE_SECONDS, type AdmitBuyersDependencies } from '#domain/waiting-room/admit-buyers';
import { joinLine, type JoinLineDependencies } from '#domain/waiting-room/join-line';
import type { OnSale } from '#domain/waiting-room/on-sale';
import { pollTicket } from '#domain/waiting-room/poll-ticket';
import { ticketIdFor } from '#domain/waiting-room/queue-ticket';
import { inMemoryWaitingRoom } from './in-memory-waiting-room.ts';

const CONCERT = 'rock-night';
const START = new Date('2027-06-28T18:00:00Z');
const ON_SALE: OnSale = { startsAt: START.toISOString(), admissionsPerMinute: 3, maxActiveBuyers: 5, admissionTtlSeconds: 600 };
const AFTER_DRAW = new Date(START.getTime() + DRAW_GRACE_SECONDS * 1_000);

/** A room, a clock the test moves, and a random source that counts down so the draw reverses the arrival order. */
const setUp = () => {
  const room = inMemoryWaitingRoom();
  room.openRoom(CONCERT, ON_SALE);
  let now = new Date(START.getTime() - 60_000);
  let nextRandom = 1_000_000;
  const join: JoinLineDependencies = {
    findConcert: room.findConcert,
    tickets: room.ticketStore,
    now: () => now,
    randomInt: (bound) => (nextRandom -= 1) % bound,
  };
  const admit: AdmitBuyersDependencies = {
    findConcert: room.findConcert,
    rooms: room.admissionStore,
    sagaHealth: async () => ({ healthy: true }),
    now: () => now,
    forEachLimited: async (items, work) => {
      for (const item of items) await work(item);
    },
  };
  const poll = (buyerId: string) => pollTicket({ findConcert: room.findConcert, tickets: room.ticketStore, now: () => now }, { concertId: CONCERT, ticketId: ticketIdFor(CONCERT, buyerId), buyerId });
  return { room, join, admit, poll, at: (time: Date) => (now = time) };
};

const joinAll = async (deps: JoinLineDependencies, buyers: readonly string[]) => {
  for (const buyerId of buyers) await joinLine(deps, { concertId: CONCERT, buyerId });
};

describe('the waiting room', () => {
  it('keeps arrivals before the start in a pre-queue with no position', async () => {
    // Arrange
    const { join } = setUp();

    // Act
    const outcome = await joinLine(join, { concertId: CONCERT, buyerId: 'b1' });

    // Assess
    expect(outcome).toMatchObject({ kind: 'joined', created: true, view: { status: 'WAITING', position: null, peopleAhead: null, estimatedWaitSeconds: null } });
  });

  it('answers a buyer who joins again with the same ticket', async () => {
    // Arrange
    const { join, at } = setUp();
    const first = await joinLine(join, { concertId: CONCERT, buyerId: 'b1' });
    at(AFTER_DRAW);

    // Act
    const again = await joinLine(join, { concertId: CONCERT, buyerId: 'b1' });

    // Assess
    expect(again).toMatchObject({ kind: 'joined', created: false, view: { ticketId: first.kind === 'joined' ? first.view.ticketId : '' } });
  });

  it('refuses a concert without an on-sale and an unknown one', async () => {
    // Arrange
    const { join } = setUp();

    // Act and assess
    expect(await joinLine(join, { concertId: 'jazz-night', buyerId: 'b1' })).toEqual({ kind: 'notGated' });
    expect(await joinLine(join, { concertId: 'unknown-night', buyerId: 'b1' })).toEqual({ kind: 'concertNotFound' });
  });

  it('does not draw before the start and its grace', async () => {
    // Arrange
    const { join, admit, at } = setUp();
    await joinAll(join, ['b1', 'b2']);
    at(new Date(AFTER_DRAW.getTime() - 1));

    // Act
    const runs = await admitBuyers(admit);

    // Assess
    expect(runs).toEqual([{ concertId: CONCERT, outcome: 'notStarted' }]);
  });

  it('numbers the pre-queue by its shuffle keys at the start, then admits at the configured rate', async () => {
    // Arrange: the shuffle keys fall with each arrival, so the draw reverses the order.
    const { join, admit, poll, at } = setUp();
    await joinAll(join, ['b1', 'b2', 'b3', 'b4']);
    at(AFTER_DRAW);

    // Act
    const [run] = await admitBuyers(admit);

    // Assess
    expect(run).toEqual({ concertId: CONCERT, outcome: 'admitted', admitted: 3, through: 3, drawn: 4 });
    expect((await poll('b4'))?.position).toBe(1);
    expect(await poll('b1')).toMatchObject({ status: 'WAITING', position: 4, peopleAhead: 0 });
    expect((await poll('b2'))?.status).toBe('ADMITTED');
  });

  it('puts arrivals after the start behind the pre-queue, first come first served', async () => {
    // Arrange
    const { join, admit, poll, at } = setUp();
    await joinAll(join, ['early']);
    at(AFTER_DRAW);
    await joinAll(join, ['late-1', 'late-2']);

    // Act
    await admitBuyers(admit);

    // Assess
    expect((await poll('early'))?.position).toBe(1);
    const [late1, late2] = [await poll('late-1'), await poll('late-2')];
    expect(late1?.position).toBeGreaterThan(1);
    expect(late2?.status).toBe('ADMITTED');
  });

  it('hands an admitted buyer a token that expires with the admission, and says EXPIRED after', async () => {
    // Arrange
    const { join, admit, poll, at } = setUp();
    await joinAll(join, ['b1']);
    at(AFTER_DRAW);
    await admitBuyers(admit);

    // Act
    const admitted = await poll('b1');
    at(new Date(AFTER_DRAW.getTime() + ON_SALE.admissionTtlSeconds * 1_000));
    const expired = await poll('b1');

    // Assess
    expect(admitted).toMatchObject({ status: 'ADMITTED', admissionExpiresAt: new Date(AFTER_DRAW.getTime() + 600_000).toISOString() });
    expect(admitted?.admissionToken).toMatch(/^v1\./);
    expect(expired).toMatchObject({ status: 'EXPIRED' });
    expect(expired?.admissionToken).toBeUndefined();
  });

  it('admits no more than maxActiveBuyers with a live admission', async () => {
    // Arrange
    const { join, admit, at } = setUp();
    await joinAll(join, ['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7']);
    at(AFTER_DRAW);
    await admitBuyers(admit);
    at(new Date(AFTER_DRAW.getTime() + 60_000));

    // Act
    const [run] = await admitBuyers(admit);

    // Assess
    expect(run).toMatchObject({ outcome: 'admitted', admitted: 2, through: 5 });
  });

  it('pauses admission while the saga is unhealthy, and still draws on time', async () => {
    // Arrange
    const { join, admit, poll, at } = setUp();
    await joinAll(join, ['b1', 'b2']);
    at(AFTER_DRAW);

    // Act
    const [run] = await admitBuyers({ ...admit, sagaHealth: async () => ({ healthy: false, reason: 'the purchase dead-letter queue holds 1 message(s)' }) });

    // Assess
    expect(run).toEqual({ concertId: CONCERT, outcome: 'paused', reason: 'the purchase dead-letter queue holds 1 message(s)', drawn: 2 });
    expect(await poll('b1')).toMatchObject({ status: 'WAITING', peopleAhead: expect.any(Number) });
  });

  it('fails the run, admitting nobody, when the saga health cannot be read', async () => {
    // Arrange
    const { join, admit, poll, at } = setUp();
    await joinAll(join, ['b1', 'b2']);
    at(AFTER_DRAW);
    await admitBuyers(admit);
    await joinAll(join, ['b3']);

    // Act
    const run = admitBuyers({ ...admit, sagaHealth: () => Promise.reject(new Error('ThrottlingException: Rate exceeded')) });

    // Assess
    await expect(run).rejects.toThrow('Rate exceeded');
    expect(await poll('b3')).toMatchObject({ status: 'WAITING' });
  });

  it('estimates the wait from the measured admission rate', async () => {
    // Arrange: 3 admitted a minute, measured over two runs.
    const { join, admit, poll, at } = setUp();
    await joinAll(join, Array.from({ length: 12 }, (_, index) => `b${index}`));
    at(AFTER_DRAW);
    await admitBuyers({ ...admit, findConcert: async (concertId) => ({ concertId, onSale: { ...ON_SALE, maxActiveBuyers: 100 } }) });
    at(new Date(AFTER_DRAW.getTime() + 60_000));
    await admitBuyers({ ...admit, findConcert: async (concertId) => ({ concertId, onSale: { ...ON_SALE, maxActiveBuyers: 100 } }) });

    // Act
    const views = await Promise.all(Array.from({ length: 12 }, (_, index) => poll(`b${index}`)));
    const last = views.find((view) => view?.position === 12);

    // Assess: 5 ahead and itself, at 3 a minute.
    expect(last).toMatchObject({ status: 'WAITING', peopleAhead: 5, estimatedWaitSeconds: 120 });
  });

  it("answers nothing for another buyer's ticket", async () => {
    // Arrange
    const { room, join } = setUp();
    await joinAll(join, ['b1', 'b2']);

    // Act
    const view = await pollTicket({ findConcert: room.findConcert, tickets: room.ticketStore, now: () => START }, { concertId: CONCERT, ticketId: ticketIdFor(CONCERT, 'b1'), buyerId: 'b2' });

    // Assess
    expect(view).toBeUndefined();
  });
});

import type { Concert, Seat, SeatAvailability } from '#domain/catalog/concert';
import { ConcertAlreadyExistsError, buildConcertItems, concertSpecSchema, createConcert, type ConcertSpec } from '#domain/catalog/create-concert';
import type { ConcertStore } from '#domain/catalog/ports';
import { parsePriceBands } from '#domain/catalog/seat-layout';

/** The three catalog tables in memory, with a log of the calls so tests can check their order. */
const inMemoryStore = () => {
  const concerts = new Map<string, Concert>();
  const seats = new Map<string, Seat>();
  const availability = new Map<string, SeatAvailability>();
  const calls: string[] = [];
  const store: ConcertStore = {
    getConcert: async (concertId) => concerts.get(concertId),
    listConcerts: async () => [...concerts.values()],
    putConcert: async (concert, { overwrite }) => {
      calls.push('putConcert');
      if (concerts.has(concert.concertId) && !overwrite) return 'exists';
      concerts.set(concert.concertId, concert);
      return 'written';
    },
    putSeats: async (newSeats, newAvailability, onProgress) => {
      calls.push('putSeats');
      newSeats.forEach((seat) => seats.set(`${seat.concertId}/${seat.seatId}`, seat));
      newAvailability.forEach((item) => availability.set(`${item.concertId}/${item.seatId}`, item));
      onProgress?.({ phase: 'writing', done: newSeats.length + newAvailability.length, total: newSeats.length + newAvailability.length });
    },
    deleteSeats: async (concertId) => {
      calls.push('deleteSeats');
      const keys = [...seats.keys()].filter((key) => key.startsWith(`${concertId}/`));
      keys.forEach((key) => {
        seats.delete(key);
        availability.delete(key);
      });
      return keys.length * 2;
    },
  };
  return { store, concerts, seats, availability, calls };
};

const spec: ConcertSpec = {
  concertId: 'rock-night',
  name: 'Rock Night',
  venue: 'Arena',
  startsAt: '2026-12-31T20:00:00Z',
  currency: 'EUR',
  rows: 20,
  seatsPerRow: 25,
  priceBands: parsePriceBands('A-E:12000,F-J:9000,K-T:6500'),
};

describe('concertSpecSchema', () => {
  // The concert tool checks its flags with this schema alone, before any table is touched.
  test('reports rows the bands leave unpriced on the priceBands field', () => {
    // Act
    const result = concertSpecSchema.safeParse({ ...spec, priceBands: parsePriceBands('A-E:12000,F-S:9000') });

    // Assess
    expect(result.error?.issues).toMatchObject([{ code: 'custom', path: ['priceBands'], message: 'rows without a price: T' }]);
  });

  test('accepts bands that price every row once', () => {
    expect(concertSpecSchema.safeParse(spec).success).toBe(true);
  });

  test('trims the name and the venue, and refuses them when nothing but spaces is left', () => {
    // Act
    const trimmed = concertSpecSchema.parse({ ...spec, name: '  Rock Night ', venue: ' Arena  ' });
    const blank = concertSpecSchema.safeParse({ ...spec, name: '   ', venue: '   ' });

    // Assess
    expect([trimmed.name, trimmed.venue]).toEqual(['Rock Night', 'Arena']);
    expect(blank.error?.issues.map((issue) => issue.path)).toEqual([['name'], ['venue']]);
  });

  test('accepts a start time with a zone offset', () => {
    expect(concertSpecSchema.safeParse({ ...spec, startsAt: '2026-12-31T21:00:00+01:00' }).success).toBe(true);
  });

  test('refuses a start time without a zone, showing the tool user what to write', () => {
    // Act: a time without a zone would mean a different moment in each region.
    const result = concertSpecSchema.safeParse({ ...spec, startsAt: '2026-12-31T20:00:00' });

    // Assess
    expect(result.error?.issues).toMatchObject([{ path: ['startsAt'], message: 'must be an ISO 8601 time with a zone, e.g. 2026-12-31T20:00:00Z' }]);
  });
});

describe('buildConcertItems', () => {
  const items = buildConcertItems(spec);

  test('describes the concert with its seat count and the names of its price bands', () => {
    expect(items.concert).toEqual({
      concertId: 'rock-night',
      name: 'Rock Night',
      venue: 'Arena',
      startsAt: '2026-12-31T20:00:00Z',
      currency: 'EUR',
      seatCount: 500,
      priceBands: ['A-E', 'F-J', 'K-T'],
    });
  });

  test('names the price bands nearest the stage first, whatever order they were given in', () => {
    const concert = buildConcertItems({ ...spec, priceBands: parsePriceBands('K-T:6500,A:15000,B-J:9000') }).concert;

    expect(concert.priceBands).toEqual(['A', 'B-J', 'K-T']);
  });

  test('makes every seat AVAILABLE at version 1 with its row price', () => {
    expect(items.seats[0]).toEqual({
      concertId: 'rock-night',
      seatId: 'A-1',
      row: 'A',
      number: 1,
      price: { amount: 12000, currency: 'EUR' },
      status: 'AVAILABLE',
      version: 1,
    });
    expect(items.seats.every((seat) => seat.status === 'AVAILABLE' && seat.version === 1)).toBe(true);
  });

  test('gives every seat a matching availability item', () => {
    expect(items.availability.map((a) => [a.seatId, a.price, a.status, a.version])).toEqual(
      items.seats.map((s) => [s.seatId, s.price, 'AVAILABLE', 1]),
    );
  });

  test('refuses a spec whose bands leave rows unpriced, naming the field', () => {
    expect(() => buildConcertItems({ ...spec, priceBands: parsePriceBands('A-E:12000') })).toThrow(/priceBands[\s\S]*rows without a price: F/);
  });
});

describe('createConcert', () => {
  test('writes the seats, then the concert', async () => {
    const { store, concerts, seats, availability, calls } = inMemoryStore();

    const created = await createConcert(store, spec);

    expect(created).toMatchObject({ replaced: false, deletedItems: 0, concert: { seatCount: 500 } });
    expect([concerts.size, seats.size, availability.size]).toEqual([1, 500, 500]);
    expect(calls).toEqual(['putSeats', 'putConcert']);
  });

  test('refuses to overwrite an existing concert and writes nothing', async () => {
    const { store, calls } = inMemoryStore();
    await createConcert(store, spec);
    calls.length = 0;

    await expect(createConcert(store, spec)).rejects.toThrow(ConcertAlreadyExistsError);
    expect(calls).toEqual([]);
  });

  test('names the concert that already exists, for the tool to report', async () => {
    // Arrange
    const { store } = inMemoryStore();
    await createConcert(store, spec);

    // Act
    const again = createConcert(store, spec);

    // Assess
    await expect(again).rejects.toMatchObject({ name: 'ConcertAlreadyExistsError', concertId: 'rock-night' });
  });

  test('replaces an existing concert: old seats go, the new layout is written', async () => {
    const { store, seats, calls } = inMemoryStore();
    await createConcert(store, spec);
    calls.length = 0;

    const replaced = await createConcert(store, { ...spec, rows: 2, seatsPerRow: 3, priceBands: parsePriceBands('A-B:5000') }, { replace: true });

    expect(replaced).toMatchObject({ replaced: true, deletedItems: 1000, concert: { seatCount: 6 } });
    expect(seats.size).toBe(6);
    expect(calls).toEqual(['deleteSeats', 'putSeats', 'putConcert']);
  });

  test('fails when another run created the concert in the meantime', async () => {
    const { store } = inMemoryStore();
    const racing: ConcertStore = { ...store, putConcert: async () => 'exists' };

    await expect(createConcert(racing, spec)).rejects.toThrow(ConcertAlreadyExistsError);
  });

  test('reports progress', async () => {
    const { store } = inMemoryStore();
    const onProgress = jest.fn();

    await createConcert(store, spec, { onProgress });

    expect(onProgress).toHaveBeenCalledWith({ phase: 'writing', done: 1000, total: 1000 });
  });
});

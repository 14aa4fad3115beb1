import {
  isRowInRange,
  layOutSeats,
  parsePriceBands,
  parseSeatId,
  priceBandNameOf,
  priceCoverageProblems,
  rowIndex,
  rowLabel,
  rowRangeOfBand,
  seatLayoutSchema,
  MAX_ROWS,
} from '#domain/catalog/seat-layout';

describe('row labels', () => {
  test.each([
    [0, 'A'],
    [25, 'Z'],
    [26, 'AA'],
    [27, 'AB'],
    [52, 'BA'],
    [MAX_ROWS - 1, 'ZZ'],
  ])('row %i is %s and back', (index, label) => {
    expect(rowLabel(index)).toBe(label);
    expect(rowIndex(label)).toBe(index);
  });

  test('refuses a row beyond ZZ', () => {
    expect(() => rowLabel(MAX_ROWS)).toThrow(RangeError);
  });

  // A label is read whole: 'xA' or 'AAA' must not count as row A or AA.
  test.each(['xA', 'AAA', 'a'])('refuses to read %j as a row, saying what a row looks like', (label) => {
    // Act
    const read = () => rowIndex(label);

    // Assess
    expect(read).toThrow('must be a row label such as A or AB');
  });

  // Each guard on its own: a negative or fractional index would otherwise yield a character outside A..Z.
  test.each([
    ['a negative index', -1],
    ['a fractional index', 1.5],
  ])('refuses %s', (_name, index) => {
    // Act
    const label = () => rowLabel(index);

    // Assess
    expect(label).toThrow(RangeError);
  });
});

describe('seat ids', () => {
  test('splits a seat id into its row and number', () => {
    expect(parseSeatId('AB-112')).toEqual({ row: 'AB', number: 112 });
  });

  // The whole id must match: seat ids are table keys, so a prefix or suffix would address another item.
  test.each(['xA-1', 'A-1x', 'A-1000', 'ABC-1', 'A1'])('refuses %s, naming it', (seatId) => {
    // Act
    const parse = () => parseSeatId(seatId);

    // Assess
    expect(parse).toThrow(new RangeError(`not a seat id: ${seatId}`));
  });
});

describe('parsePriceBands', () => {
  test('reads ranges and single rows', () => {
    expect(parsePriceBands('A-E:12000, F:9000')).toEqual([
      { fromRow: 'A', toRow: 'E', amount: 12000 },
      { fromRow: 'F', toRow: 'F', amount: 9000 },
    ]);
  });

  test('names the part it cannot read', () => {
    expect(() => parsePriceBands('A-E:12000,F-J=9000')).toThrow('cannot read price band "F-J=9000"');
  });

  test('refuses a band that runs backwards', () => {
    expect(() => parsePriceBands('E-A:100')).toThrow('fromRow must not come after toRow');
  });

  test('reads two-letter rows and tolerates spaces around each part', () => {
    // Act
    const bands = parsePriceBands(' A-Z:100 , AA-AB:50 ');

    // Assess
    expect(bands).toEqual([
      { fromRow: 'A', toRow: 'Z', amount: 100 },
      { fromRow: 'AA', toRow: 'AB', amount: 50 },
    ]);
  });

  // Anything before or after a band is a typo the operator should see, not text to skip.
  test.each(['xA:100', 'A:100x', 'A-B:100;', 'ABC:100'])('refuses %s', (text) => {
    // Act
    const parse = () => parsePriceBands(text);

    // Assess
    expect(parse).toThrow(`cannot read price band "${text}"`);
  });

  test('names the unreadable part without the spaces around it', () => {
    // Act
    const parse = () => parsePriceBands('A-E:12000,  F-J=9000 ');

    // Assess
    expect(parse).toThrow('cannot read price band "F-J=9000": expected ROW-ROW:AMOUNT or ROW:AMOUNT, e.g. A-E:12000');
  });

  test('lists every problem of a band, each on its own', () => {
    // Act: an amount beyond a safe integer, in a band that also runs backwards.
    const parse = () => parsePriceBands('E-A:99999999999999999999');

    // Assess
    expect(parse).toThrow(/^price band "E-A:99999999999999999999": [^;]+; fromRow must not come after toRow$/);
  });

  test('names the backwards band without the spaces around it', () => {
    // Act
    const parse = () => parsePriceBands('A:1, E-A:100 ');

    // Assess
    expect(parse).toThrow(new RangeError('price band "E-A:100": fromRow must not come after toRow'));
  });
});

describe('priceCoverageProblems', () => {
  const bands = parsePriceBands;

  test('accepts bands that price every row once', () => {
    expect(priceCoverageProblems(20, bands('A-E:12000,F-J:9000,K-T:6500'))).toEqual([]);
  });

  test('names rows without a price', () => {
    expect(priceCoverageProblems(5, bands('A-B:100,E:100'))).toEqual(['rows without a price: C, D']);
  });

  test('names rows with two prices', () => {
    expect(priceCoverageProblems(3, bands('A-B:100,B-C:200'))).toEqual(['rows with more than one price: B']);
  });

  test('names every row with two prices, one by one', () => {
    expect(priceCoverageProblems(3, bands('A-C:100,B-C:200'))).toEqual(['rows with more than one price: B, C']);
  });

  test('names a band beyond the last row', () => {
    expect(priceCoverageProblems(2, bands('A-C:100'))).toEqual(['band A-C goes beyond the last row B']);
  });

  test('counts no prices for rows beyond the last, even where two bands overlap there', () => {
    // Act: both bands run past row B; only rows A and B exist.
    const problems = priceCoverageProblems(2, bands('A-C:100,C-D:200'));

    // Assess: each band is reported as too long, and no row that does not exist is called double-priced.
    expect(problems).toEqual(['band A-C goes beyond the last row B', 'band C-D goes beyond the last row B']);
  });
});

describe('seatLayoutSchema', () => {
  test('reports each coverage problem on the priceBands field', () => {
    // Act
    const result = seatLayoutSchema.safeParse({ rows: 3, seatsPerRow: 2, currency: 'EUR', priceBands: parsePriceBands('A-B:100,B:200') });

    // Assess
    expect(result.error?.issues).toMatchObject([
      { code: 'custom', path: ['priceBands'], message: 'rows without a price: C' },
      { code: 'custom', path: ['priceBands'], message: 'rows with more than one price: B' },
    ]);
  });
});

describe('layOutSeats', () => {
  const seats = layOutSeats({ rows: 3, seatsPerRow: 2, currency: 'EUR', priceBands: parsePriceBands('A:300,B-C:100') });

  test('lays out rows x seats, numbered from 1', () => {
    expect(seats.map((seat) => seat.seatId)).toEqual(['A-1', 'A-2', 'B-1', 'B-2', 'C-1', 'C-2']);
  });

  test('gives each seat its row and number, matching its id', () => {
    expect(seats.slice(0, 3)).toEqual([
      { seatId: 'A-1', row: 'A', number: 1, price: { amount: 300, currency: 'EUR' } },
      { seatId: 'A-2', row: 'A', number: 2, price: { amount: 300, currency: 'EUR' } },
      { seatId: 'B-1', row: 'B', number: 1, price: { amount: 100, currency: 'EUR' } },
    ]);
  });

  test('prices each row by the band that contains it, whatever order the bands come in', () => {
    // Arrange: the first band listed lies after row A and the second before row D.
    const priceBands = parsePriceBands('B-C:100,A:300,D:50');

    // Act
    const laidOut = layOutSeats({ rows: 4, seatsPerRow: 1, currency: 'EUR', priceBands });

    // Assess
    expect(laidOut.map((seat) => [seat.row, seat.price.amount])).toEqual([
      ['A', 300],
      ['B', 100],
      ['C', 100],
      ['D', 50],
    ]);
  });

  test('prices each seat by its row band', () => {
    expect(seats.map((seat) => seat.price.amount)).toEqual([300, 300, 100, 100, 100, 100]);
  });

  test.each(['EURO', 'XEUR'])('refuses a layout priced in %j, which is not a currency code', (currency) => {
    // Act
    const layOut = () => layOutSeats({ rows: 1, seatsPerRow: 1, currency, priceBands: parsePriceBands('A:300') });

    // Assess
    expect(layOut).toThrow(/currency/);
  });

  test('refuses a layout with unpriced rows', () => {
    expect(() => layOutSeats({ rows: 3, seatsPerRow: 2, currency: 'EUR', priceBands: parsePriceBands('A:300') })).toThrow(
      'rows without a price: B, C',
    );
  });
});

describe('price band names', () => {
  test.each([
    ['A-E', { fromRow: 'A', toRow: 'E' }],
    ['K', { fromRow: 'K', toRow: 'K' }],
    ['Z-AB', { fromRow: 'Z', toRow: 'AB' }],
  ])('%s names its rows and back', (name, range) => {
    expect(rowRangeOfBand(name)).toEqual(range);
    expect(priceBandNameOf(range)).toBe(name);
  });

  test.each(['a-e', 'A-', 'A-E-F', 'front'])('refuses %j, which names no rows', (name) => {
    expect(() => rowRangeOfBand(name)).toThrow('must name a price band by its rows');
  });

  test('the bands parsed from the concert tool keep their names', () => {
    expect(parsePriceBands('A-E:12000,F-J:9000,K:6500').map(priceBandNameOf)).toEqual(['A-E', 'F-J', 'K']);
  });

  test.each([
    ['A', false],
    ['B', true],
    ['D', true],
    ['E', false],
    ['BA', false],
  ])('row %s in B-D: %s', (row, inside) => {
    expect(isRowInRange(row, { fromRow: 'B', toRow: 'D' })).toBe(inside);
  });
});

import { layOutSeats, parsePriceBands, parseSeatId, priceCoverageProblems, rowIndex, rowLabel, MAX_ROWS } from '#domain/catalog/seat-layout';

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
});

test('splits a seat id into its row and number', () => {
  expect(parseSeatId('AB-112')).toEqual({ row: 'AB', number: 112 });
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

  test('names a band beyond the last row', () => {
    expect(priceCoverageProblems(2, bands('A-C:100'))).toEqual(['band A-C goes beyond the last row B']);
  });
});

describe('layOutSeats', () => {
  const seats = layOutSeats({ rows: 3, seatsPerRow: 2, currency: 'EUR', priceBands: parsePriceBands('A:300,B-C:100') });

  test('lays out rows x seats, numbered from 1', () => {
    expect(seats.map((seat) => seat.seatId)).toEqual(['A-1', 'A-2', 'B-1', 'B-2', 'C-1', 'C-2']);
  });

  test('prices each seat by its row band', () => {
    expect(seats.map((seat) => seat.price.amount)).toEqual([300, 300, 100, 100, 100, 100]);
  });

  test('refuses a layout with unpriced rows', () => {
    expect(() => layOutSeats({ rows: 3, seatsPerRow: 2, currency: 'EUR', priceBands: parsePriceBands('A:300') })).toThrow(
      'rows without a price: B, C',
    );
  });
});

import { percentile, perSecond, purchaseCeiling, ratioOf } from '#tools/bench/stats';

describe('percentile', () => {
  it('is the nearest-rank sample, whatever the order', () => {
    // Prepare
    const samples = [50, 10, 40, 20, 30];

    // Act
    const [p0, p50, p99, p100] = [0, 50, 99, 100].map((p) => percentile(samples, p));

    // Assess
    expect([p0, p50, p99, p100]).toEqual([10, 30, 50, 50]);
  });

  it('takes a p99 of a hundred samples from the 99th, not the last', () => {
    // Prepare
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);

    // Act
    const p99 = percentile(samples, 99);

    // Assess
    expect(p99).toBe(99);
  });

  it('answers NaN for no samples, so an empty burst shows n/a rather than 0 ms', () => {
    expect(percentile([], 50)).toBeNaN();
  });

  it('refuses a percentile outside 0..100', () => {
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('ratios', () => {
  it('divides a value by its reference', () => {
    expect(ratioOf(125, 250)).toBe(0.5);
  });

  it('is NaN against a reference that is zero or unknown', () => {
    expect([ratioOf(1, 0), ratioOf(1, Number.NaN)]).toEqual([Number.NaN, Number.NaN]);
  });

  it('counts per second over milliseconds', () => {
    expect(perSecond(300, 1_500)).toBe(200);
  });

  it('bounds the purchases per second by the write bound over the writes per purchase', () => {
    // 200 writes/s for purchases of 10 writes allow at most 20 purchases/s.
    expect(purchaseCeiling(200, 10)).toBe(20);
  });
});

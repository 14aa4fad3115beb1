import { computeBill } from '#tools/cost/bill';
import { PRICES } from '#tools/cost/prices';
import { costRun, facts } from './fixtures.ts';

const lineOf = (workflow: number, item: string) => {
  const found = computeBill(costRun, facts, PRICES).workflows[workflow]?.lines.find((line) => line.item === item);
  if (!found) throw new Error(`no line ${item}`);
  return found;
};

describe('the bill of 1M purchases', () => {
  it('prices Standard by state transition: 10 a purchase at $0.025 per 1,000 is $250', () => {
    expect(lineOf(0, 'state transitions').usdPerMillion).toBeCloseTo(250, 6);
  });

  it('prices Lambda duration from billed ms at the memory size, leaving out scheduled functions', () => {
    // (40,000 + 1,000) ms x 0.5 GB / 100 purchases = 0.205 GB-s a purchase
    expect(lineOf(0, 'arm64 duration').perPurchase).toBeCloseTo(0.205, 9);
  });

  it('prices DynamoDB by the units counted: 8 write units a purchase at $0.625 per million is $5', () => {
    expect(lineOf(0, 'write units').usdPerMillion).toBeCloseTo(5, 6);
  });

  it('prices Express per execution and by its duration rounded up to 100 ms at 64 MB', () => {
    // 150 ms on average -> 200 ms x 1/16 GB = 0.0125 GB-s a purchase
    expect(lineOf(1, 'Express requests').usdPerMillion).toBeCloseTo(1, 6);
    expect(lineOf(1, 'Express duration (64 MB)').perPurchase).toBeCloseTo(0.0125, 9);
  });

  it('prices durable functions by operation: a start and 4 steps a purchase', () => {
    expect(lineOf(2, 'durable operations').perPurchase).toBe(5);
    expect(lineOf(2, 'requests').perPurchase).toBeCloseTo(1.1, 9);
  });
});

describe('capacity and the baseline', () => {
  it('finds the stage that limits first: 1,500 transitions/s at 10 a purchase is 150 purchases/s', () => {
    // Act
    const bill = computeBill(costRun, facts, PRICES);

    // Assess
    expect(bill.limiting.stage).toBe('state transitions');
    expect(bill.limiting.purchasesPerSecond).toBeCloseTo(150, 6);
  });

  it('puts the seat items of a concert on one partition: 6 write units a purchase is 167 purchases/s at 1,000', () => {
    // Act
    const seats = computeBill(costRun, facts, PRICES).capacity.find((row) => row.stage.startsWith("a concert's seat items"));

    // Assess
    expect(seats?.purchasesPerSecond).toBeCloseTo(1_000 / 6, 6);
  });

  it('breaks even where the cluster\'s month costs what serverless spends on what it replaces', () => {
    // Act
    const { baseline } = computeBill(costRun, facts, PRICES);

    // Assess
    expect(baseline.nodes).toBeGreaterThanOrEqual(2);
    expect(baseline.breakEvenPurchasesPerMonth * baseline.replacedUsdPerPurchase).toBeCloseTo(baseline.monthlyUsd, 6);
  });
});

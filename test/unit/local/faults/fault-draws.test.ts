import { FaultDraws } from '#local/faults/fault-draws';

const sequence = (draws: FaultDraws, count: number, between: () => void = () => undefined) =>
  Array.from({ length: count }, () => {
    between();
    return draws.draw('dynamodb.throttled') !== undefined;
  });

describe('FaultDraws', () => {
  it("keeps a kind's decisions when another kind's traffic comes in between", () => {
    // Prepare
    const rates = { 'dynamodb.throttled': 0.5, 'lambda.throttled': 0.5 };
    const alone = new FaultDraws({ seed: 42, rates });
    const interleaved = new FaultDraws({ seed: 42, rates });

    // Act
    const withoutOthers = sequence(alone, 32);
    const withOthers = sequence(interleaved, 32, () => {
      interleaved.draw('lambda.throttled');
      interleaved.detail('lambda.throttled');
    });

    // Assess
    expect(withOthers).toEqual(withoutOthers);
  });

  it('gives another seed other decisions', () => {
    // Prepare
    const rates = { 'dynamodb.throttled': 0.5 };

    // Act
    const first = sequence(new FaultDraws({ seed: 1, rates }), 32);
    const second = sequence(new FaultDraws({ seed: 2, rates }), 32);

    // Assess
    expect(second).not.toEqual(first);
  });

  it('counts only the kind that won when several fire at one opportunity', () => {
    // Prepare
    const draws = new FaultDraws({ seed: 1, rates: { 'lambda.throttled': 1, 'lambda.answerLost': 1 } });

    // Act
    const chosen = draws.draw('lambda.throttled', 'lambda.answerLost');

    // Assess
    expect(chosen).toBe('lambda.throttled');
    expect(draws.counts()).toMatchObject({ 'lambda.throttled': 1, 'lambda.answerLost': 0 });
  });
});

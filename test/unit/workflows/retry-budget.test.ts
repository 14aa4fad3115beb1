import { retrierWaitSeconds, stateWorstCaseSeconds, worstCasePath, type BudgetedDefinition } from '#workflows/retry-budget';

describe('retrierWaitSeconds', () => {
  it('adds every retry at its backoff, capped by MaxDelaySeconds', () => {
    // Act
    const wait = retrierWaitSeconds({ IntervalSeconds: 2, MaxAttempts: 4, BackoffRate: 3, MaxDelaySeconds: 10 });

    // Assess: 2 + 6 + 10 + 10
    expect(wait).toBe(28);
  });

  it("uses ASL's defaults for what a retrier leaves out", () => {
    // Assess: 1 + 2 + 4
    expect(retrierWaitSeconds({})).toBe(7);
  });
});

describe('stateWorstCaseSeconds', () => {
  it('counts the first attempt and every retry of every retrier at the task timeout, plus the waits', () => {
    // Act
    const worst = stateWorstCaseSeconds({
      Type: 'Task',
      TimeoutSeconds: 10,
      Retry: [
        { IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 1 },
        { IntervalSeconds: 5, MaxAttempts: 1 },
      ],
    });

    // Assess: 4 attempts x 10 s + (1 + 1) + 5
    expect(worst).toBe(47);
  });

  it('refuses a Task without a timeout: its worst case has no bound', () => {
    // Assess
    expect(() => stateWorstCaseSeconds({ Type: 'Task' })).toThrow(RangeError);
  });
});

describe('worstCasePath', () => {
  const definition: BudgetedDefinition = {
    StartAt: 'A',
    States: {
      A: { Type: 'Task', TimeoutSeconds: 10, Next: 'B', Catch: [{ Next: 'C' }] },
      B: { Type: 'Task', TimeoutSeconds: 5, Next: 'End' },
      C: { Type: 'Task', TimeoutSeconds: 50, Next: 'End' },
      End: { Type: 'Succeed' },
    },
  };

  it('follows Next and Catch and keeps the longest way to an end', () => {
    // Act
    const path = worstCasePath(definition);

    // Assess: A then C (a catch) is longer than A then B; no Retry, so one attempt each
    expect(path).toEqual({ seconds: 10 + 50, states: ['A', 'C', 'End'] });
  });

  it('refuses a machine that loops: its worst case has no bound', () => {
    // Prepare
    const looping: BudgetedDefinition = { StartAt: 'A', States: { A: { Type: 'Task', TimeoutSeconds: 1, Next: 'A' } } };

    // Assess
    expect(() => worstCasePath(looping)).toThrow(/loops through A/);
  });
});

describe('worstCasePath, choosing between ways', () => {
  it('keeps the way through Next when it is the longer one', () => {
    // Prepare: the catch leads to a short compensation, Next to a long step
    const definition: BudgetedDefinition = {
      StartAt: 'A',
      States: {
        A: { Type: 'Task', TimeoutSeconds: 10, Next: 'Long', Catch: [{ Next: 'Short' }] },
        Long: { Type: 'Task', TimeoutSeconds: 40, Next: 'End' },
        Short: { Type: 'Task', TimeoutSeconds: 5, Next: 'End' },
        End: { Type: 'Succeed' },
      },
    };

    // Act
    const path = worstCasePath(definition);

    // Assess
    expect(path).toEqual({ seconds: 10 + 40, states: ['A', 'Long', 'End'] });
  });

  it('keeps the first way it found (Next before the catches) when two take equally long', () => {
    // Prepare
    const definition: BudgetedDefinition = {
      StartAt: 'A',
      States: {
        A: { Type: 'Task', TimeoutSeconds: 10, Next: 'B', Catch: [{ Next: 'C' }] },
        B: { Type: 'Task', TimeoutSeconds: 20 },
        C: { Type: 'Task', TimeoutSeconds: 20 },
      },
    };

    // Act
    const path = worstCasePath(definition);

    // Assess
    expect(path.states).toEqual(['A', 'B']);
  });

  it('starts where it is told to, not only at StartAt', () => {
    // Prepare
    const definition: BudgetedDefinition = {
      StartAt: 'A',
      States: { A: { Type: 'Task', TimeoutSeconds: 10, Next: 'B' }, B: { Type: 'Task', TimeoutSeconds: 7 } },
    };

    // Act
    const path = worstCasePath(definition, 'B');

    // Assess
    expect(path).toEqual({ seconds: 7, states: ['B'] });
  });

  it('names a state that a Next or Catch points to but the machine lacks', () => {
    // Prepare
    const broken: BudgetedDefinition = { StartAt: 'A', States: { A: { Type: 'Task', TimeoutSeconds: 1, Next: 'Missing' } } };

    // Assess
    expect(() => worstCasePath(broken)).toThrow(new RangeError('no state named Missing'));
  });
});

describe('stateWorstCaseSeconds, what it refuses', () => {
  it('says which field is missing when a Task has no timeout', () => {
    // Assess
    expect(() => stateWorstCaseSeconds({ Type: 'Task' })).toThrow(/without TimeoutSeconds/);
  });

  it('costs nothing for a state that runs no task', () => {
    // Assess
    expect(stateWorstCaseSeconds({ Type: 'Succeed' })).toBe(0);
  });
});

import { z } from 'zod';
import { compileEventPattern } from '#local/eventbridge/pattern/event-pattern';
import { EventPatternError } from '#local/eventbridge/pattern/errors';
import documentedCases from './pattern-cases.json';
import invalidPatterns from './invalid-patterns.json';

const documentedTableSchema = z.object({
  events: z.record(z.string(), z.unknown()),
  cases: z.array(
    z.object({
      doc: z.string(),
      name: z.string(),
      pattern: z.unknown(),
      event: z.union([z.string(), z.record(z.string(), z.unknown())]),
      matches: z.boolean(),
    }),
  ),
});

const invalidTableSchema = z.object({
  cases: z.array(z.object({ name: z.string(), pattern: z.unknown(), error: z.string() })),
});

const documented = documentedTableSchema.parse(documentedCases);
const resolveEvent = (event: string | Record<string, unknown>) => {
  if (typeof event !== 'string') return event;
  if (!(event in documented.events)) throw new Error(`pattern-cases.json: no event named "${event}"`);
  return documented.events[event];
};

describe('event pattern matching (AWS documented examples)', () => {
  test.each(documented.cases.map((c) => [`${c.doc}: ${c.name}`, c] as const))('%s', (_title, testCase) => {
    // Prepare
    const pattern = compileEventPattern(testCase.pattern);

    // Act
    const matched = pattern.matches(resolveEvent(testCase.event));

    // Assess
    expect(matched).toBe(testCase.matches);
  });
});

describe('event pattern validation', () => {
  test.each(invalidTableSchema.parse(invalidPatterns).cases.map((c) => [c.name, c] as const))('rejects %s', (_title, testCase) => {
    // Act
    const compile = () => compileEventPattern(testCase.pattern);

    // Assess
    expect(compile).toThrow(EventPatternError);
    expect(compile).toThrow(testCase.error);
  });
});

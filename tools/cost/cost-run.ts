import { z } from 'zod';

/**
 * The counts of one named on-sale run, as docs/cost-run.json keeps them:
 * every figure of docs/cost.md is these counts times the template's settings
 * times the price table, so the page can be rendered again without a run.
 */

const countSchema = z.number().nonnegative();

export const costRunSchema = z.object({
  run: z.object({
    command: z.string(),
    seed: z.number().int(),
    buyers: z.number().int(),
    seats: z.number().int(),
    concurrency: z.number().int(),
    date: z.string(),
    commit: z.string(),
    elapsedMs: countSchema,
  }),
  outcomes: z.object({
    accepted: countSchema,
    /** Requests answered other than 202, by status. */
    rejected: z.record(z.string(), countSchema),
    confirmed: countSchema,
    failedByReason: z.record(z.string(), countSchema),
  }),
  paths: z.array(
    z.object({
      outcome: z.string(),
      path: z.array(z.string()).readonly(),
      executions: countSchema,
      transitions: countSchema,
      retries: countSchema,
      taskAttempts: countSchema,
      durationMs: countSchema,
      logBytes: countSchema,
    }),
  ),
  functions: z.array(z.object({ logicalId: z.string(), invocations: countSchema, billedMs: countSchema, logBytes: countSchema })),
  dynamoDb: z.object({
    itemWrites: countSchema,
    /** Capacity units by table logical id. */
    unitsByTable: z.record(z.string(), z.object({ read: countSchema, write: countSchema })),
  }),
  eventBridge: z.object({ events: countSchema, bytes: countSchema }),
  sqs: z.object({ sendMessage: countSchema, receiveMessage: countSchema, deleteMessageBatch: countSchema }),
  api: z.object({ requests: countSchema }),
});

export type CostRun = z.infer<typeof costRunSchema>;

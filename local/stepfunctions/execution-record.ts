import { z } from 'zod';

/** What DescribeExecution reports about one execution; persisted as is. Dates are epoch milliseconds. */
export const executionRecordSchema = z.object({
  executionArn: z.string(),
  stateMachineArn: z.string(),
  name: z.string(),
  status: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']),
  input: z.string(),
  output: z.string().optional(),
  error: z.string().optional(),
  cause: z.string().optional(),
  startDate: z.number(),
  stopDate: z.number().optional(),
  redriveCount: z.number().int().min(0),
  redriveDate: z.number().optional(),
  /** The clientToken of the last RedriveExecution, so a retried call does not redrive twice. */
  redriveClientToken: z.string().optional(),
});

export type ExecutionRecord = z.infer<typeof executionRecordSchema>;
export type ExecutionStatus = ExecutionRecord['status'];

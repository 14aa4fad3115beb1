import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { historyPageSchema, type HistoryEvent } from './history.ts';
import { EXECUTION_STATUSES, type ExecutionDetails, type ExecutionSummary, type ExecutionsPort } from './ports.ts';

/** The largest page ListExecutions and GetExecutionHistory return. */
const MAX_PAGE = 1_000;

/** arn:aws:states:<region>:<account>:stateMachine:<machine> -> ...:execution:<machine>:<name> */
export const executionArnOf = (stateMachineArn: string, name: string): string =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

const statusSchema = z.enum(EXECUTION_STATUSES);

const executionSchema = z.object({
  name: z.string(),
  executionArn: z.string(),
  status: statusSchema,
  startDate: z.date(),
  stopDate: z.date().optional(),
  redriveCount: z.number().int().optional(),
});

const detailsSchema = executionSchema.extend({
  error: z.string().optional(),
  cause: z.string().optional(),
  output: z.string().optional(),
  redriveStatus: z.string().optional(),
  redriveStatusReason: z.string().optional(),
});

const toSummary = (execution: z.infer<typeof executionSchema>): ExecutionSummary => ({
  name: execution.name,
  arn: execution.executionArn,
  status: execution.status,
  startedAt: execution.startDate,
  ...(execution.stopDate ? { stoppedAt: execution.stopDate } : {}),
  ...(execution.redriveCount === undefined ? {} : { redriveCount: execution.redriveCount }),
});

const isNotFound = (error: unknown) => error instanceof Error && error.name === 'ExecutionDoesNotExist';

export const createSfnExecutions = (client: SFNClient, stateMachineArn: string): ExecutionsPort => ({
  async describe(name) {
    try {
      const response = await client.send(new DescribeExecutionCommand({ executionArn: executionArnOf(stateMachineArn, name) }));
      const { error, cause, output, redriveStatus, redriveStatusReason, ...execution } = detailsSchema.parse({ ...response, name: response.name ?? name });
      const details: ExecutionDetails = {
        ...toSummary(execution),
        ...(error === undefined ? {} : { error }),
        ...(cause === undefined ? {} : { cause }),
        ...(output === undefined ? {} : { output }),
        ...(redriveStatus === undefined ? {} : { redriveStatus }),
        ...(redriveStatusReason === undefined ? {} : { redriveStatusReason }),
      };
      return details;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  },

  async history(name) {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const response = await client.send(
        new GetExecutionHistoryCommand({ executionArn: executionArnOf(stateMachineArn, name), maxResults: MAX_PAGE, nextToken }),
      );
      const page = historyPageSchema.parse({ events: response.events ?? [], nextToken: response.nextToken });
      events.push(...page.events);
      nextToken = page.nextToken;
    } while (nextToken);
    return events;
  },

  async list({ status, since, limit }) {
    const found: ExecutionSummary[] = [];
    let nextToken: string | undefined;
    do {
      const response = await client.send(
        new ListExecutionsCommand({ stateMachineArn, statusFilter: status, maxResults: Math.min(limit, MAX_PAGE), nextToken }),
      );
      const page = z.array(executionSchema).parse(response.executions ?? []).map(toSummary);
      const recent = since ? page.filter((execution) => execution.startedAt >= since) : page;
      found.push(...recent);
      // Pages come newest first: once a page holds an execution older than `since`, later pages are older still.
      nextToken = recent.length < page.length ? undefined : response.nextToken;
    } while (nextToken && found.length < limit);
    return found.sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime()).slice(0, limit);
  },

  async redrive(name, clientToken) {
    const response = await client.send(new RedriveExecutionCommand({ executionArn: executionArnOf(stateMachineArn, name), clientToken }));
    return response.redriveDate ? { redrivenAt: response.redriveDate } : {};
  },
});

import { z } from 'zod';
import type { AwsJsonOperation } from '#local/aws-json-server';
import type { ExecutionRecord } from './execution-record.ts';
import type { HistoryEvent } from './history-events.ts';
import type { LocalStepFunctions } from './local-step-functions.ts';

/**
 * The Step Functions JSON 1.0 protocol: one zod schema per operation for
 * the request body (X-Amz-Target: AWSStepFunctions.<Operation>) and the
 * mapping of answers to the wire, where dates are epoch seconds.
 */

const arn = z.string().min(1).max(2048);
const maxResults = z.number().int().min(0).max(1000).optional();
const nextToken = z.string().min(1).max(3096).optional();
const executionStatus = z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']);
const taskToken = z.string().min(1).max(2048);

const seconds = (epochMs: number): number => epochMs / 1000;

const optionalSeconds = (field: string, epochMs: number | undefined) => (epochMs === undefined ? {} : { [field]: seconds(epochMs) });

const executionListItem = (record: ExecutionRecord) => ({
  executionArn: record.executionArn,
  stateMachineArn: record.stateMachineArn,
  name: record.name,
  status: record.status,
  startDate: seconds(record.startDate),
  ...optionalSeconds('stopDate', record.stopDate),
  redriveCount: record.redriveCount,
  ...optionalSeconds('redriveDate', record.redriveDate),
});

/** GetExecutionHistory's includeExecutionData=false leaves out every input and output. */
const historyEvent = (event: HistoryEvent, includeExecutionData: boolean) =>
  Object.fromEntries(
    Object.entries(event).map(([key, value]) => {
      if (key === 'timestamp' && typeof value === 'number') return [key, seconds(value)];
      if (includeExecutionData || !key.endsWith('EventDetails') || typeof value !== 'object' || value === null) return [key, value];
      return [key, Object.fromEntries(Object.entries(value).filter(([field]) => field !== 'input' && field !== 'output'))];
    }),
  );

/** Parses the request body (a ZodError means a ValidationException) and answers with the response body. */
const operation =
  <Request>(schema: z.ZodType<Request>, handle: (stepFunctions: LocalStepFunctions, request: Request) => unknown): AwsJsonOperation<LocalStepFunctions> =>
  (stepFunctions, body) =>
    handle(stepFunctions, schema.parse(body));

export const OPERATIONS: Readonly<Record<string, AwsJsonOperation<LocalStepFunctions>>> = {
  StartExecution: operation(
    z.object({ stateMachineArn: arn, name: z.string().optional(), input: z.string().optional(), traceHeader: z.string().optional() }),
    async (sfn, request) => {
      const { executionArn, startDate } = await sfn.startExecution(request);
      return { executionArn, startDate: seconds(startDate) };
    },
  ),
  DescribeExecution: operation(z.object({ executionArn: arn, includedData: z.enum(['ALL_DATA', 'METADATA_ONLY']).optional() }), (sfn, request) => {
    const execution = sfn.describeExecution(request);
    const withData = request.includedData !== 'METADATA_ONLY';
    return {
      ...executionListItem(execution),
      ...(withData ? { input: execution.input, inputDetails: { included: true } } : {}),
      ...(withData && execution.output !== undefined ? { output: execution.output, outputDetails: { included: true } } : {}),
      ...(execution.error === undefined ? {} : { error: execution.error }),
      ...(execution.cause === undefined ? {} : { cause: execution.cause }),
      redriveStatus: execution.redriveStatus,
      ...(execution.redriveStatusReason === undefined ? {} : { redriveStatusReason: execution.redriveStatusReason }),
    };
  }),
  ListExecutions: operation(
    z.object({
      stateMachineArn: arn,
      statusFilter: executionStatus.optional(),
      redriveFilter: z.enum(['REDRIVEN', 'NOT_REDRIVEN']).optional(),
      maxResults,
      nextToken,
    }),
    (sfn, { statusFilter, ...request }) => {
      // PENDING_REDRIVE is momentary in AWS and never observable locally: a redrive starts at once.
      if (statusFilter === 'PENDING_REDRIVE') return { executions: [] };
      const { items, nextToken: next } = sfn.listExecutions({ ...request, statusFilter });
      return { executions: items.map(executionListItem), ...(next ? { nextToken: next } : {}) };
    },
  ),
  GetExecutionHistory: operation(
    z.object({ executionArn: arn, maxResults, reverseOrder: z.boolean().optional(), nextToken, includeExecutionData: z.boolean().optional() }),
    async (sfn, request) => {
      const { items, nextToken: next } = await sfn.getExecutionHistory(request);
      return { events: items.map((event) => historyEvent(event, request.includeExecutionData ?? true)), ...(next ? { nextToken: next } : {}) };
    },
  ),
  StopExecution: operation(z.object({ executionArn: arn, error: z.string().max(256).optional(), cause: z.string().max(32768).optional() }), async (sfn, request) => {
    const { stopDate } = await sfn.stopExecution(request);
    return { stopDate: seconds(stopDate) };
  }),
  RedriveExecution: operation(z.object({ executionArn: arn, clientToken: z.string().min(1).max(64).optional() }), async (sfn, request) => {
    const { redriveDate } = await sfn.redriveExecution(request);
    return { redriveDate: seconds(redriveDate) };
  }),
  DescribeStateMachine: operation(z.object({ stateMachineArn: arn }), (sfn, request) => {
    const machine = sfn.describeStateMachine(request);
    return { ...machine, creationDate: seconds(machine.creationDate) };
  }),
  DescribeStateMachineForExecution: operation(z.object({ executionArn: arn }), (sfn, request) => {
    const machine = sfn.describeStateMachineForExecution(request);
    return { ...machine, updateDate: seconds(machine.updateDate), creationDate: seconds(machine.creationDate) };
  }),
  ListStateMachines: operation(z.object({ maxResults, nextToken }), (sfn, request) => {
    const { items, nextToken: next } = sfn.listStateMachines(request);
    return {
      stateMachines: items.map((machine) => ({ ...machine, creationDate: seconds(machine.creationDate) })),
      ...(next ? { nextToken: next } : {}),
    };
  }),
  SendTaskSuccess: operation(z.object({ taskToken, output: z.string() }), (sfn, request) => sfn.sendTaskResult(request)),
  SendTaskFailure: operation(z.object({ taskToken, error: z.string().optional(), cause: z.string().optional() }), (sfn, request) =>
    sfn.sendTaskResult(request),
  ),
  SendTaskHeartbeat: operation(z.object({ taskToken }), (sfn, request) => sfn.sendTaskResult(request)),
};

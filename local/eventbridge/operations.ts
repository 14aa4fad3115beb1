import { z } from 'zod';
import type { AwsJsonOperation } from '#local/aws-json-server';
import { LOCAL_ACCOUNT } from '#local/ports';
import type { LocalEventBridge } from './bus.ts';
import { putEventsEntrySchema } from './entries.ts';
import { validationError } from './errors.ts';
import { REPLAY_STATES } from './replays.ts';

/** The SDK and the CLI send timestamps as epoch seconds; ISO text is accepted too. */
const timestampSchema = z.union([z.number(), z.string()]).transform((value, context) => {
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) {
    context.addIssue({ code: 'custom', message: 'not a timestamp' });
    return z.NEVER;
  }
  return date;
});

const pageSchema = {
  NextToken: z.string().optional(),
  Limit: z.number().int().min(1).max(100).optional(),
};

/** List operations page by position; the token is the index of the next item. */
const paginate = <T>(items: readonly T[], page: { NextToken?: string | undefined; Limit?: number | undefined }) => {
  const start = page.NextToken === undefined ? 0 : Number(page.NextToken);
  if (!Number.isInteger(start) || start < 0) throw validationError('The NextToken is not valid.');
  const end = page.Limit === undefined ? items.length : start + page.Limit;
  return { items: items.slice(start, end), ...(end < items.length && { NextToken: String(end) }) };
};

/** Parses the request body (a malformed one is a ValidationException) and answers with the response body. */
const operation =
  <Schema extends z.ZodType>(request: Schema, handle: (bridge: LocalEventBridge, request: z.output<Schema>) => unknown): AwsJsonOperation<LocalEventBridge> =>
  (bridge, body) => {
    const parsed = request.safeParse(body);
    if (!parsed.success) throw validationError(z.prettifyError(parsed.error));
    return handle(bridge, parsed.data);
  };

/** The EventBridge API actions served locally, by their X-Amz-Target name (without the `AWSEvents.` prefix). */
export const OPERATIONS: Readonly<Record<string, AwsJsonOperation<LocalEventBridge>>> = {
  PutEvents: operation(z.object({ Entries: z.array(putEventsEntrySchema) }), (bridge, request) => bridge.putEventEntries(request.Entries)),

  ListEventBuses: operation(z.object({ NamePrefix: z.string().optional(), ...pageSchema }), (bridge, request) => {
    const { items, NextToken } = paginate(bridge.listEventBuses(request.NamePrefix), request);
    return { EventBuses: items, NextToken };
  }),

  DescribeEventBus: operation(z.object({ Name: z.string().optional() }), (bridge, request) => bridge.describeEventBus(request.Name)),

  ListRules: operation(z.object({ NamePrefix: z.string().optional(), EventBusName: z.string().optional(), ...pageSchema }), (bridge, request) => {
    const { items, NextToken } = paginate(bridge.listRules(request), request);
    return { Rules: items, NextToken };
  }),

  DescribeRule: operation(z.object({ Name: z.string(), EventBusName: z.string().optional() }), (bridge, request) => ({
    ...bridge.describeRule(request.Name, request.EventBusName),
    CreatedBy: LOCAL_ACCOUNT,
  })),

  ListTargetsByRule: operation(z.object({ Rule: z.string(), EventBusName: z.string().optional(), ...pageSchema }), (bridge, request) => {
    const { items, NextToken } = paginate(bridge.listTargetsByRule(request.Rule, request.EventBusName), request);
    return { Targets: items, NextToken };
  }),

  TestEventPattern: operation(z.object({ EventPattern: z.string(), Event: z.string() }), (bridge, request) => ({
    Result: bridge.testEventPattern(request.EventPattern, request.Event),
  })),

  ListArchives: operation(
    z.object({ NamePrefix: z.string().optional(), EventSourceArn: z.string().optional(), State: z.string().optional(), ...pageSchema }),
    (bridge, request) => {
      const { items, NextToken } = paginate(bridge.listArchives(request), request);
      return { Archives: items, NextToken };
    },
  ),

  DescribeArchive: operation(z.object({ ArchiveName: z.string() }), (bridge, request) => bridge.describeArchive(request.ArchiveName)),

  StartReplay: operation(
    z.object({
      ReplayName: z.string().min(1).max(64),
      Description: z.string().optional(),
      EventSourceArn: z.string(),
      EventStartTime: timestampSchema,
      EventEndTime: timestampSchema,
      Destination: z.object({ Arn: z.string(), FilterArns: z.array(z.string()).optional() }),
    }),
    (bridge, request) => bridge.startReplay(request),
  ),

  DescribeReplay: operation(z.object({ ReplayName: z.string() }), (bridge, request) => bridge.describeReplay(request.ReplayName)),

  ListReplays: operation(
    z.object({ NamePrefix: z.string().optional(), State: z.enum(REPLAY_STATES).optional(), EventSourceArn: z.string().optional(), ...pageSchema }),
    (bridge, request) => {
      const { items, NextToken } = paginate(bridge.listReplays(request), request);
      return { Replays: items, NextToken };
    },
  ),

  CancelReplay: operation(z.object({ ReplayName: z.string() }), (bridge, request) => bridge.cancelReplay(request.ReplayName)),
};


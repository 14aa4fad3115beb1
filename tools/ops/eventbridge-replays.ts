import { DescribeReplayCommand, ListRulesCommand, StartReplayCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { z } from 'zod';
import type { ReplayPort, RuleInfo } from './ports.ts';

/** ListRules returns at most 100 rules a page. */
const RULES_PAGE = 100;

const ruleSchema = z.object({
  Name: z.string(),
  Arn: z.string(),
  EventPattern: z.string().optional(),
  State: z.string().optional(),
  ManagedBy: z.string().optional(),
});

const replaySchema = z.object({
  State: z.string(),
  StateReason: z.string().optional(),
  EventLastReplayedTime: z.date().optional(),
  ReplayStartTime: z.date().optional(),
  ReplayEndTime: z.date().optional(),
});

export const createEventBridgeReplays = (client: EventBridgeClient): ReplayPort => ({
  async listRules(busName) {
    const rules: RuleInfo[] = [];
    let nextToken: string | undefined;
    do {
      const response = await client.send(new ListRulesCommand({ EventBusName: busName, Limit: RULES_PAGE, NextToken: nextToken }));
      for (const rule of z.array(ruleSchema).parse(response.Rules ?? [])) {
        rules.push({
          name: rule.Name,
          arn: rule.Arn,
          ...(rule.EventPattern === undefined ? {} : { eventPattern: rule.EventPattern }),
          ...(rule.State === undefined ? {} : { state: rule.State }),
          ...(rule.ManagedBy === undefined ? {} : { managedBy: rule.ManagedBy }),
        });
      }
      nextToken = response.NextToken;
    } while (nextToken);
    return rules;
  },

  async startReplay(request) {
    await client.send(
      new StartReplayCommand({
        ReplayName: request.name,
        Description: request.description,
        EventSourceArn: request.archiveArn,
        EventStartTime: request.from,
        EventEndTime: request.to,
        Destination: { Arn: request.busArn, FilterArns: [...request.ruleArns] },
      }),
    );
  },

  async describeReplay(name) {
    const replay = replaySchema.parse(await client.send(new DescribeReplayCommand({ ReplayName: name })));
    return {
      state: replay.State,
      ...(replay.StateReason ? { stateReason: replay.StateReason } : {}),
      ...(replay.EventLastReplayedTime ? { lastReplayedAt: replay.EventLastReplayedTime } : {}),
      ...(replay.ReplayStartTime ? { startedAt: replay.ReplayStartTime } : {}),
      ...(replay.ReplayEndTime ? { endedAt: replay.ReplayEndTime } : {}),
    };
  },
});

import { z } from 'zod';
import { DEFAULT_EVENT_BUS, eventBusArn, eventBusNameOf } from '#local/arns';
import type { AuthorizationRequest } from './role-policy.ts';

/**
 * What EventBridge authorizes for one request. PutEvents is authorized per
 * entry, on the entry's bus, with the entry's `events:source` and
 * `events:detail-type`: a policy that lets a function publish one event
 * refuses a batch that slips in another. Other calls are authorized on the
 * bus they name, or `*`.
 */

const entryShape = z.looseObject({ Source: z.string().optional(), DetailType: z.string().optional(), EventBusName: z.string().optional() });
const putEventsShape = z.object({ Entries: z.array(entryShape) });
const requestShape = z.looseObject({ EventBusName: z.string().optional() });

const busArnOf = (nameOrArn: string | undefined) => eventBusArn(eventBusNameOf(nameOrArn ?? DEFAULT_EVENT_BUS));

export const eventBridgeAuthorizationRequests = (operation: string, body: unknown): AuthorizationRequest[] => {
  if (operation === 'PutEvents') {
    return (putEventsShape.safeParse(body).data?.Entries ?? []).map((entry) => ({
      action: 'events:PutEvents',
      resource: busArnOf(entry.EventBusName),
      context: new Map([
        ['events:source', entry.Source === undefined ? [] : [entry.Source]],
        ['events:detail-type', entry.DetailType === undefined ? [] : [entry.DetailType]],
      ]),
    }));
  }
  const busName = requestShape.safeParse(body).data?.EventBusName;
  return [{ action: `events:${operation}`, resource: busName === undefined ? '*' : busArnOf(busName) }];
};

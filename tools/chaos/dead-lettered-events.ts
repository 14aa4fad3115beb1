import { ListTargetsByRuleCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { peekMessages } from '#tools/ops/dead-letters';
import { createSqsQueues } from '#tools/ops/sqs-queues';

/**
 * What a replay may change. A projection's consumer can fail an event
 * through every retry of its rule (the harsh chaos profile fails an attempt
 * about half the time); EventBridge then puts the event in the rule target's
 * dead-letter queue, its alarm calls a person, and the projection misses it
 * until someone replays the window, which is what a replay is for. So a
 * projection item that a dead-lettered event names may be changed by a
 * replay; any other change is a consumer that is not idempotent.
 */

/** Enough for any run of the chaos profiles; more would mean the projections are failing, not the faults. */
const MAX_DEAD_LETTERS_PER_QUEUE = 10_000;

const deadLetterArnsSchema = z.array(z.object({ DeadLetterConfig: z.object({ Arn: z.string() }).optional() }).loose());

/** The dead-letter queues of the targets of these rules. */
const deadLetterQueueArns = async (eventBridge: EventBridgeClient, busName: string, ruleNames: readonly string[]): Promise<string[]> => {
  const arns = new Set<string>();
  for (const rule of ruleNames) {
    let nextToken: string | undefined;
    do {
      const response = await eventBridge.send(new ListTargetsByRuleCommand({ Rule: rule, EventBusName: busName, NextToken: nextToken }));
      for (const target of deadLetterArnsSchema.parse(response.Targets ?? [])) if (target.DeadLetterConfig) arns.add(target.DeadLetterConfig.Arn);
      nextToken = response.NextToken;
    } while (nextToken);
  }
  return [...arns];
};

/** `arn:aws:sqs:<region>:<account>:<name>` → its name and owner. */
const queueOf = (arn: string) => {
  const [, , , , account, name] = arn.split(':');
  if (!account || !name) throw new Error(`not an SQS queue ARN: ${arn}`);
  return { account, name };
};

type Clients = { readonly eventBridge: EventBridgeClient; readonly sqs: SQSClient };

/** The URLs of the dead-letter queues of these rules' targets. */
const deadLetterQueueUrls = async (clients: Clients, busName: string, ruleNames: readonly string[]): Promise<string[]> => {
  const urls: string[] = [];
  for (const arn of await deadLetterQueueArns(clients.eventBridge, busName, ruleNames)) {
    const { account, name } = queueOf(arn);
    const { QueueUrl } = await clients.sqs.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }));
    if (!QueueUrl) throw new Error(`no URL for queue ${arn}`);
    urls.push(QueueUrl);
  }
  return urls;
};

/** The bodies of the messages in the dead-letter queues of these rules' targets, left in place. */
export const readDeadLetteredEvents = async (clients: Clients, busName: string, ruleNames: readonly string[]): Promise<string[]> => {
  const queues = createSqsQueues(clients.sqs);
  const bodies: string[] = [];
  for (const url of await deadLetterQueueUrls(clients, busName, ruleNames)) {
    bodies.push(...(await peekMessages(queues, url, MAX_DEAD_LETTERS_PER_QUEUE)).map((message) => message.body));
  }
  return bodies;
};

/** How many events wait in the dead-letter queues of these rules' targets (SQS's approximate counts). */
export const countDeadLetteredEvents = async (clients: Clients, busName: string, ruleNames: readonly string[]): Promise<number> => {
  const queues = createSqsQueues(clients.sqs);
  let count = 0;
  for (const url of await deadLetterQueueUrls(clients, busName, ruleNames)) count += await queues.approximateCount(url);
  return count;
};

const eventSchema = z
  .object({
    detail: z
      .object({ concertId: z.string().optional(), purchaseId: z.string().optional(), seats: z.array(z.object({ seatId: z.string() }).loose()).optional() })
      .loose(),
  })
  .loose();

/**
 * The projection items (the keys of the chaos run's snapshots:
 * `purchases/<purchaseId>`, `seatAvailability/<seatId>`) that these
 * dead-lettered events of the concert name. A body that is not an event
 * names nothing.
 */
export const projectionItemsNamedBy = (bodies: readonly string[], concertId: string): Set<string> => {
  const items = new Set<string>();
  for (const body of bodies) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      continue;
    }
    const detail = eventSchema.safeParse(json).data?.detail;
    if (!detail || detail.concertId !== concertId) continue;
    if (detail.purchaseId) items.add(`purchases/${detail.purchaseId}`);
    for (const seat of detail.seats ?? []) items.add(`seatAvailability/${seat.seatId}`);
  }
  return items;
};

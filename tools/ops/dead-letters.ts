import { z } from 'zod';
import { CommandFailedError } from '#tools/lib/command-line';
import type { QueueMessage, QueuePort } from './ports.ts';

export interface DeadLetter {
  readonly messageId: string;
  /** From the body (the saga input the API enqueued); undefined when the body is not one. */
  readonly purchaseId?: string;
  /** As SQS counts it, this listing's own receive included. */
  readonly receiveCount?: number;
  /** When the API first sent it to the purchase queue: SQS keeps SentTimestamp when it moves a message to the DLQ. */
  readonly sentAt?: Date;
}

export interface DeadLetterListing {
  readonly approximateCount: number;
  readonly letters: readonly DeadLetter[];
}

export interface DeadLetterQueues {
  readonly sourceUrl: string;
  readonly deadLetterUrl: string;
}

/**
 * Listing hides each message for this long; every message is made visible
 * again as soon as the listing ends, so this only matters if the command
 * dies midway.
 */
const LIST_VISIBILITY_SECONDS = 30;
/** Long enough to send a message back and delete it; the message reappears in the DLQ if we die in between. */
const MOVE_VISIBILITY_SECONDS = 60;

const bodySchema = z.object({ purchaseId: z.string() });

const purchaseIdOf = (body: string): string | undefined => {
  try {
    return bodySchema.safeParse(JSON.parse(body)).data?.purchaseId;
  } catch {
    return undefined;
  }
};

const toDeadLetter = (message: QueueMessage): DeadLetter => {
  const purchaseId = purchaseIdOf(message.body);
  return {
    messageId: message.messageId,
    ...(purchaseId ? { purchaseId } : {}),
    ...(message.receiveCount === undefined ? {} : { receiveCount: message.receiveCount }),
    ...(message.sentAt ? { sentAt: message.sentAt } : {}),
  };
};

/**
 * Reads up to `max` messages of a queue without consuming them. SQS has no
 * "peek": each message is received with a short visibility timeout (so the
 * next receive returns the following ones), then every received message is
 * made visible again at once (ChangeMessageVisibility to 0), even when
 * reading fails.
 */
export const peekMessages = async (port: QueuePort, queueUrl: string, max: number): Promise<QueueMessage[]> => {
  const messages: QueueMessage[] = [];
  const held: string[] = [];
  const seen = new Set<string>();
  try {
    while (messages.length < max) {
      const batch = await port.receive(queueUrl, max - messages.length, LIST_VISIBILITY_SECONDS);
      // A message seen twice means the visibility timeout ran out: everything has been read.
      const fresh = batch.filter((message) => !seen.has(message.messageId));
      held.push(...batch.map((message) => message.receiptHandle));
      if (fresh.length === 0) break;
      for (const message of fresh) {
        seen.add(message.messageId);
        messages.push(message);
      }
    }
  } finally {
    await port.release(queueUrl, held);
  }
  return messages;
};

/** Shows the dead letters without consuming them. */
export const listDeadLetters = async (port: QueuePort, deadLetterUrl: string, max: number): Promise<DeadLetterListing> => {
  const approximateCount = await port.approximateCount(deadLetterUrl);
  const letters = (await peekMessages(port, deadLetterUrl, max)).map(toDeadLetter);
  return { approximateCount, letters };
};

export interface MoveSummary {
  readonly moved: number;
  /** Messages that came back to the DLQ during this run: the purchase queue failed them again. */
  readonly returned: number;
}

/**
 * Moves dead letters back to the purchase queue: send to the source queue,
 * then delete from the DLQ. If the delete fails after the send, the message
 * is in both queues; the starter names the execution after the purchaseId,
 * so the duplicate starts nothing twice.
 */
export const moveDeadLetters = async (
  port: QueuePort,
  queues: DeadLetterQueues,
  max: number,
  onMoved: (letter: DeadLetter, moved: number) => void,
): Promise<MoveSummary> => {
  let moved = 0;
  const movedPurchases = new Set<string>();
  for (;;) {
    if (moved >= max) return { moved, returned: 0 };
    const batch = await port.receive(queues.deadLetterUrl, max - moved, MOVE_VISIBILITY_SECONDS);
    if (batch.length === 0) return { moved, returned: 0 };
    for (const [index, message] of batch.entries()) {
      const letter = toDeadLetter(message);
      const rest = batch.slice(index).map((m) => m.receiptHandle);
      if (letter.purchaseId && movedPurchases.has(letter.purchaseId)) {
        // It failed again since we moved it: moving it once more would only loop.
        await port.release(queues.deadLetterUrl, rest);
        return { moved, returned: rest.length };
      }
      try {
        await port.send(queues.sourceUrl, message);
        await port.delete(queues.deadLetterUrl, message.receiptHandle);
      } catch (error) {
        // Best effort: if this fails too, the messages reappear when their visibility timeout ends.
        await port.release(queues.deadLetterUrl, rest).catch(() => undefined);
        const reason = error instanceof Error ? error.message : String(error);
        throw new CommandFailedError(`moved ${moved}, then could not move message ${message.messageId}: ${reason}`);
      }
      moved += 1;
      if (letter.purchaseId) movedPurchases.add(letter.purchaseId);
      onMoved(letter, moved);
    }
  }
};

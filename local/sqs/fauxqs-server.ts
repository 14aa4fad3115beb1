import { LOOPBACK_HOST } from '#local/api/listen';
import { sqsQueueArn, sqsQueueUrl } from '#local/arns';
import type { QueueDeclaration, Recovery, ServedQueue, StartRequest } from './child-protocol.ts';
import { findQueuesByName, journalStore, loadFauxqs, type FauxqsSqsStore } from './fauxqs-internals.ts';
import { MessageJournal } from './message-journal.ts';

/**
 * fauxqs on 127.0.0.1 with the template's queues and, given a journal folder,
 * the messages a previous run left behind. Runs inside the SQS child process
 * (fauxqs is an ES module the test runner cannot load in-process).
 */
export interface FauxqsServer {
  readonly port: number;
  readonly fauxqsVersion: string;
  readonly queues: readonly ServedQueue[];
  readonly recovery: Recovery;
  close(): Promise<void>;
}

/** The queue's settings as the CreateQueue attributes fauxqs reads. */
const attributesOf = (queue: QueueDeclaration): Record<string, string> => ({
  VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
  MessageRetentionPeriod: String(queue.messageRetentionSeconds),
  ...(queue.redrivePolicy && {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queue.redrivePolicy.deadLetterQueueArn, maxReceiveCount: queue.redrivePolicy.maxReceiveCount }),
  }),
});

const SECOND_MS = 1_000;

/** Puts the journal's messages back in their queues; in-flight ones become visible at once. */
const restoreMessages = (store: FauxqsSqsStore, journal: MessageJournal, now: number): Recovery => {
  const recovery = { restoredMessages: 0, expiredMessages: 0, droppedMessages: 0, unreadableJournalLines: journal.unreadableLines };
  for (const { queue: queueName, message } of journal.messages()) {
    const queue = store.getQueueByName(queueName);
    if (!queue) {
      journal.deleted(queueName, message.messageId);
      recovery.droppedMessages += 1;
      continue;
    }
    const retentionMs = Number(queue.attributes.MessageRetentionPeriod) * SECOND_MS;
    if (message.sentTimestamp + retentionMs < now) {
      journal.deleted(queueName, message.messageId);
      recovery.expiredMessages += 1;
      continue;
    }
    queue.enqueue({ ...message });
    recovery.restoredMessages += 1;
  }
  return recovery;
};

export const startFauxqsServer = async (request: StartRequest): Promise<FauxqsServer> => {
  const fauxqs = await loadFauxqs();
  const sqsStore = fauxqs.newSqsStore();
  // Without a host, URLs of queues created through CreateQueue use the request's Host header
  // (127.0.0.1:<port>) instead of sqs.<region>.localhost, which does not resolve everywhere.
  sqsStore.host = '';
  findQueuesByName(sqsStore);
  const app = fauxqs.buildApp({ logger: false, stores: { sqsStore, snsStore: fauxqs.newSnsStore(), s3Store: fauxqs.newS3Store() } });
  const address = await app.listen({ port: request.port, host: LOOPBACK_HOST });
  const port = Number(new URL(address).port);
  const endpoint = `http://${LOOPBACK_HOST}:${port}`;

  const queues = request.queues.map((declaration): ServedQueue => {
    const queue = { logicalId: declaration.logicalId, name: declaration.name, url: sqsQueueUrl(endpoint, declaration.name), arn: sqsQueueArn(declaration.name) };
    sqsStore.createQueue(queue.name, queue.url, queue.arn, attributesOf(declaration));
    return queue;
  });

  const journal = request.journalDir === undefined ? undefined : MessageJournal.open(request.journalDir);
  const recovery = journal
    ? restoreMessages(sqsStore, journal, Date.now())
    : { restoredMessages: 0, expiredMessages: 0, droppedMessages: 0, unreadableJournalLines: 0 };
  // Hooked after the restore: the restored messages are in the journal already.
  if (journal) journalStore(sqsStore, journal);

  return {
    port,
    fauxqsVersion: fauxqs.version,
    queues,
    recovery,
    async close() {
      await app.close();
      journal?.close();
    },
  };
};

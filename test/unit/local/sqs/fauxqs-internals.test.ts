import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findQueuesByName, journalStore, type FauxqsMessage, type FauxqsQueue, type FauxqsSqsStore } from '#local/sqs/fauxqs-internals';
import { MessageJournal } from '#local/sqs/message-journal';

/** Just enough of a fauxqs queue: messages wait in `ready`, received ones sit in `inflightMessages`. */
class FakeQueue implements FauxqsQueue {
  readonly attributes: Record<string, string> = {};
  readonly inflightMessages = new Map<string, { message: FauxqsMessage }>();
  ready: FauxqsMessage[] = [];

  constructor(readonly name: string) {}

  enqueue(message: FauxqsMessage) {
    this.ready.push(message);
  }

  dequeue(maxCount: number) {
    return this.ready.splice(0, maxCount).map((message) => {
      message.approximateReceiveCount += 1;
      this.inflightMessages.set(`rh-${message.messageId}`, { message });
      return { MessageId: message.messageId };
    });
  }

  deleteMessage(receiptHandle: string) {
    return this.inflightMessages.delete(receiptHandle);
  }

  purge() {
    this.ready = [];
  }
}

class FakeStore implements FauxqsSqsStore {
  host = 'localhost';
  readonly queues = new Map<string, FakeQueue>();

  createQueue(name: string, url: string) {
    const queue = new FakeQueue(name);
    this.queues.set(url, queue);
    return queue;
  }

  deleteQueue(url: string) {
    return this.queues.delete(url);
  }

  getQueue(url: string) {
    return this.queues.get(url);
  }

  getQueueByName(name: string) {
    return [...this.queues.values()].find((queue) => queue.name === name);
  }

  listQueues() {
    return [...this.queues.values()];
  }
}

const message = (messageId: string): FauxqsMessage => ({
  messageId,
  body: messageId,
  md5OfBody: 'md5',
  messageAttributes: {},
  md5OfMessageAttributes: '',
  sentTimestamp: 1_772_000_000_000,
  approximateReceiveCount: 0,
});

const URL_OF = (name: string) => `http://127.0.0.1:4566/000000000000/${name}`;

describe('journaling the fauxqs store', () => {
  let dir: string;
  let journal: MessageJournal;
  let store: FakeStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqs-journal-'));
    journal = MessageJournal.open(dir);
    store = new FakeStore();
    store.createQueue('purchases', URL_OF('purchases'));
    journalStore(store, journal);
  });

  afterEach(() => {
    journal.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const queue = (name: string) => {
    const found = store.getQueueByName(name);
    if (!found) throw new Error(`no queue ${name}`);
    return found;
  };

  it('journals a sent message', () => {
    // Act
    queue('purchases').enqueue(message('m-1'));

    // Assess
    expect(journal.messages()).toEqual([{ queue: 'purchases', message: message('m-1') }]);
  });

  it('journals receives, so the receive count survives', () => {
    // Prepare
    queue('purchases').enqueue(message('m-1'));

    // Act
    queue('purchases').dequeue(10);

    // Assess
    expect(journal.messages()[0]?.message.approximateReceiveCount).toBe(1);
  });

  it('journals the deletion of a received message by its receipt handle', () => {
    // Prepare
    queue('purchases').enqueue(message('m-1'));
    queue('purchases').dequeue(10);

    // Act
    queue('purchases').deleteMessage('rh-m-1');

    // Assess
    expect(journal.messages()).toEqual([]);
  });

  it('journals the queues created after it was attached, and forgets the messages of a deleted queue', () => {
    // Prepare
    store.createQueue('created-later', URL_OF('created-later'));
    queue('created-later').enqueue(message('m-1'));

    // Act
    store.deleteQueue(URL_OF('created-later'));

    // Assess
    expect(journal.messages()).toEqual([]);
  });

  it('journals a purge', () => {
    // Prepare
    queue('purchases').enqueue(message('m-1'));

    // Act
    queue('purchases').purge();

    // Assess
    expect(journal.messages()).toEqual([]);
  });
});

describe('finding queues by name', () => {
  it('finds a queue from a URL with another host, as SQS does', () => {
    // Prepare
    const store = new FakeStore();
    const created = store.createQueue('purchases', URL_OF('purchases'));
    findQueuesByName(store);

    // Act
    const found = store.getQueue('http://localhost:9324/000000000000/purchases');

    // Assess
    expect(found).toBe(created);
  });
});

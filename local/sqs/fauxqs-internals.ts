import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { JournaledMessage, MessageJournal } from './message-journal.ts';
import { queueNameOf } from '#local/arns';

/**
 * The parts of fauxqs the local SQS relies on beyond its documented API.
 * fauxqs exports `buildApp` (which accepts the stores it serves) but not the
 * store classes, and keeps messages in memory only. To journal every change
 * to a queue's contents we build the SQS store ourselves (from its module
 * file) and wrap the four queue methods that change them. Everything here is
 * checked when it loads, so a fauxqs upgrade that moves them fails the
 * startup with a message instead of silently losing durability.
 */
const SUPPORTED_FAUXQS_VERSION = /^1\.9\./;

/** A fauxqs message: the journaled fields and whatever else fauxqs keeps. */
export type FauxqsMessage = JournaledMessage & Record<string, unknown>;

export interface FauxqsQueue {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly inflightMessages: Map<string, { readonly message: { readonly messageId: string } }>;
  enqueue(message: FauxqsMessage): void;
  dequeue(maxCount: number, visibilityTimeout?: number, dlqResolver?: unknown): Array<{ readonly MessageId: string }>;
  deleteMessage(receiptHandle: string): boolean;
  purge(): void;
}

export interface FauxqsSqsStore {
  host: string;
  createQueue(name: string, url: string, arn: string, attributes?: Record<string, string>, tags?: Record<string, string>): FauxqsQueue;
  deleteQueue(url: string): boolean;
  getQueue(url: string): FauxqsQueue | undefined;
  getQueueByName(name: string): FauxqsQueue | undefined;
  listQueues(): FauxqsQueue[];
}

interface FauxqsApp {
  listen(options: { port: number; host: string }): Promise<string>;
  close(): Promise<unknown>;
}

export interface Fauxqs {
  readonly version: string;
  buildApp(options: { logger: boolean; stores: { sqsStore: FauxqsSqsStore; snsStore: unknown; s3Store: unknown } }): FauxqsApp;
  newSqsStore(): FauxqsSqsStore;
  newSnsStore(): unknown;
  newS3Store(): unknown;
}

class UnsupportedFauxqsError extends Error {
  override readonly name = 'UnsupportedFauxqsError';
}

const functionSchema = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function');
const classWith = (methods: readonly string[]) =>
  z.custom<new () => unknown>(
    (value) => typeof value === 'function' && methods.every((method) => typeof (value as { prototype: Record<string, unknown> }).prototype[method] === 'function'),
    `a class with ${methods.join(', ')}`,
  );

const QUEUE_METHODS = ['enqueue', 'dequeue', 'deleteMessage', 'purge'];
const STORE_METHODS = ['createQueue', 'deleteQueue', 'getQueue', 'getQueueByName', 'listQueues'];

const packageSchema = z.object({ version: z.string() });

/** The installed package folder; its `exports` hides package.json, so look where Node looks. */
const fauxqsFolder = (): string => {
  const folder = (require.resolve.paths('fauxqs') ?? []).map((dir) => join(dir, 'fauxqs')).find((dir) => existsSync(join(dir, 'package.json')));
  if (!folder) throw new UnsupportedFauxqsError('The fauxqs package is not installed (npm ci installs it)');
  return folder;
};

const importModule = async (folder: string, file: string): Promise<unknown> => import(pathToFileURL(join(folder, 'dist', file)).href);

export const loadFauxqs = async (): Promise<Fauxqs> => {
  const folder = fauxqsFolder();
  const { version } = packageSchema.parse(JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')));
  if (!SUPPORTED_FAUXQS_VERSION.test(version)) {
    throw new UnsupportedFauxqsError(`fauxqs ${version} is installed; the local SQS journal is built on fauxqs 1.9.x internals`);
  }
  const check = <T extends z.ZodType>(schema: T, loaded: unknown, file: string): z.infer<T> => {
    const parsed = schema.safeParse(loaded);
    if (!parsed.success) throw new UnsupportedFauxqsError(`fauxqs ${version}: ${file} is not what the local SQS expects (${parsed.error.issues[0]?.message ?? ''})`);
    return parsed.data;
  };
  const app = check(z.object({ buildApp: functionSchema }), await importModule(folder, 'app.js'), 'app.js');
  const sqs = check(z.object({ SqsStore: classWith(STORE_METHODS), SqsQueue: classWith(QUEUE_METHODS) }), await importModule(folder, 'sqs/sqsStore.js'), 'sqs/sqsStore.js');
  const sns = check(z.object({ SnsStore: classWith([]) }), await importModule(folder, 'sns/snsStore.js'), 'sns/snsStore.js');
  const s3 = check(z.object({ S3Store: classWith([]) }), await importModule(folder, 's3/s3Store.js'), 's3/s3Store.js');
  return {
    version,
    buildApp: app.buildApp as Fauxqs['buildApp'],
    newSqsStore: () => new sqs.SqsStore() as FauxqsSqsStore,
    newSnsStore: () => new sns.SnsStore(),
    newS3Store: () => new s3.S3Store(),
  };
};

/** Appends every change to the queue's contents to the journal, before the change is made. */
const journalQueue = (queue: FauxqsQueue, journal: MessageJournal) => {
  const enqueue = queue.enqueue.bind(queue);
  const dequeue = queue.dequeue.bind(queue);
  const deleteMessage = queue.deleteMessage.bind(queue);
  const purge = queue.purge.bind(queue);
  // Sends, and moves to this queue as a dead-letter queue.
  queue.enqueue = (message) => {
    journal.put(queue.name, message);
    enqueue(message);
  };
  // Receive counts are kept so maxReceiveCount still holds after a restart.
  queue.dequeue = (maxCount, visibilityTimeout, dlqResolver) => {
    const received = dequeue(maxCount, visibilityTimeout, dlqResolver);
    journal.received(queue.name, received.map((message) => message.MessageId));
    return received;
  };
  queue.deleteMessage = (receiptHandle) => {
    const messageId = queue.inflightMessages.get(receiptHandle)?.message.messageId;
    const deleted = deleteMessage(receiptHandle);
    if (deleted && messageId !== undefined) journal.deleted(queue.name, messageId);
    return deleted;
  };
  queue.purge = () => {
    journal.purged(queue.name);
    purge();
  };
};

/** Journals the store's queues, those there now and those created later through CreateQueue. */
export const journalStore = (store: FauxqsSqsStore, journal: MessageJournal): void => {
  for (const queue of store.listQueues()) journalQueue(queue, journal);
  const createQueue = store.createQueue.bind(store);
  store.createQueue = (...args) => {
    const queue = createQueue(...args);
    journalQueue(queue, journal);
    return queue;
  };
  const deleteQueue = store.deleteQueue.bind(store);
  store.deleteQueue = (url) => {
    const queue = store.getQueue(url);
    if (queue) journal.purged(queue.name);
    return deleteQueue(url);
  };
};

/**
 * fauxqs finds a queue by its exact URL; SQS itself accepts any URL naming the
 * account and queue. Falling back to the name lets URLs written by an earlier
 * run (another port) or another host form (localhost) keep working.
 */
export const findQueuesByName = (store: FauxqsSqsStore): void => {
  const getQueue = store.getQueue.bind(store);
  store.getQueue = (url) => getQueue(url) ?? store.getQueueByName(queueNameOf(url));
};

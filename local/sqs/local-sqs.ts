import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PortInUseError } from '#local/api/listen';
import { queueNameOf } from '#local/arns';
import { LOCAL_REGION, type QueueSender, type Service } from '#local/ports';
import { childMessageSchema, type ChildMessage, type QueueDeclaration, type Recovery, type ServedQueue, type StartRequest } from './child-protocol.ts';
import { HEAP_GROWING_FLAG } from '#local/heap-growth';

export const SQS_SERVICE_NAME = 'SQS (fauxqs)';
/** Any credentials will do locally; the SDK only needs some to sign with. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

const CHILD_ENTRY = join(__dirname, 'fauxqs-process.ts');
const DEFAULT_START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;

export interface LocalSqsOptions {
  /** The template's queues (LocalApp.queues), checked by the template reader. */
  readonly queues: readonly QueueDeclaration[];
  /** @default 0: any free port */
  readonly port?: number;
  /** Keeps messages not yet deleted across restarts (`dataDirLayout(root).sqs`). @default undefined: in memory, nothing kept */
  readonly journalDir?: string;
  /** @default 30_000 */
  readonly startTimeoutMs?: number;
}

export interface LocalSqs extends Service {
  /** The fauxqs process, e.g. to measure its memory. */
  readonly pid: number;
  readonly fauxqsVersion: string;
  readonly queues: readonly ServedQueue[];
  /** What the restart found in the journal. */
  readonly recovery: Recovery;
  /** A client for this endpoint (region, credentials, `useQueueUrlAsEndpoint: false`). */
  readonly client: SQSClient;
  readonly sender: QueueSender;
  /** The queue with this logical id, name, URL or ARN; throws naming the reference when there is none. */
  queue(reference: string): ServedQueue;
}

class SqsStartError extends Error {
  override readonly name = 'SqsStartError';
}

class UnknownQueueError extends Error {
  override readonly name = 'UnknownQueueError';
}

const createLocalSqsClient = (endpoint: string): SQSClient =>
  new SQSClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, useQueueUrlAsEndpoint: false });

type Started = Extract<ChildMessage, { type: 'started' }>;

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

const waitForStart = (child: ChildProcess, port: number, timeoutMs: number): Promise<Started> =>
  new Promise((resolveStart, reject) => {
    const settle = (outcome: () => void) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', onError);
      outcome();
    };
    const onMessage = (raw: unknown) => {
      const parsed = childMessageSchema.safeParse(raw);
      if (!parsed.success) return;
      const message = parsed.data;
      if (message.type === 'started') settle(() => resolveStart(message));
      else if (message.portInUse) settle(() => reject(new PortInUseError(SQS_SERVICE_NAME, port)));
      else settle(() => reject(new SqsStartError(`${SQS_SERVICE_NAME} failed to start: ${message.message}`)));
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      settle(() => reject(new SqsStartError(`${SQS_SERVICE_NAME} exited while starting (${signal ?? `exit code ${code}`}); its output is above`)));
    const onError = (error: Error) => settle(() => reject(new SqsStartError(`${SQS_SERVICE_NAME} could not be started: ${error.message}`, { cause: error })));
    const timer = setTimeout(() => settle(() => reject(new SqsStartError(`${SQS_SERVICE_NAME} did not start within ${timeoutMs} ms`))), timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.once('error', onError);
  });

const stopChild = async (child: ChildProcess) => {
  if (hasExited(child)) return;
  const exited = once(child, 'exit');
  if (child.connected) child.send({ type: 'stop' });
  const grace = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(grace);
};

/**
 * The local SQS: fauxqs in a child process of its own on 127.0.0.1, serving
 * the template's queues with their redrive policies, the AWS JSON protocol
 * for the SDK and the CLI, and (with `journalDir`) messages that survive a
 * kill of the runtime: those sent and not deleted are delivered again after
 * a restart.
 */
export const startLocalSqs = async (options: LocalSqsOptions): Promise<LocalSqs> => {
  const port = options.port ?? 0;
  const child = fork(CHILD_ENTRY, [], {
    // The child runs TypeScript like `npm start` does, and is an ES module host so fauxqs can load.
    execArgv: ['--import', pathToFileURL(require.resolve('tsx')).href, HEAP_GROWING_FLAG],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let started: Started;
  try {
    const starting = waitForStart(child, port, options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
    const request: StartRequest = { type: 'start', port, journalDir: options.journalDir, queues: [...options.queues] };
    child.send(request);
    started = await starting;
  } catch (error) {
    await stopChild(child);
    throw error;
  }

  const endpoint = `http://127.0.0.1:${started.port}`;
  const client = createLocalSqsClient(endpoint);
  const queue = (reference: string): ServedQueue => {
    const name = queueNameOf(reference);
    const found = started.queues.find((candidate) => candidate.logicalId === reference || candidate.name === reference || candidate.name === name);
    if (!found) throw new UnknownQueueError(`No local queue for ${reference}; the template declares ${started.queues.map((candidate) => candidate.logicalId).join(', ') || 'none'}`);
    return found;
  };

  return {
    name: SQS_SERVICE_NAME,
    endpoint,
    pid: child.pid ?? -1,
    fauxqsVersion: started.fauxqsVersion,
    queues: started.queues,
    recovery: started.recovery,
    client,
    queue,
    sender: {
      async sendMessage(queueUrlOrArn, body) {
        await client.send(new SendMessageCommand({ QueueUrl: queue(queueUrlOrArn).url, MessageBody: body }));
      },
    },
    async stop() {
      client.destroy();
      await stopChild(child);
    },
  };
};

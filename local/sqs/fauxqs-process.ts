import { isAddressInUse } from '#local/api/listen';
import { parentMessageSchema, type ChildMessage } from './child-protocol.ts';
import { startFauxqsServer, type FauxqsServer } from './fauxqs-server.ts';

/**
 * Entry point of the SQS child process (started by local-sqs.ts). It serves
 * fauxqs until the runtime says stop or goes away: when the parent dies, even
 * by SIGKILL, the IPC channel closes and this process exits with it.
 */
let server: FauxqsServer | undefined;
let exiting = false;

/** Resolves once the message is handed to the channel, so exiting right after does not lose it. */
const send = (message: ChildMessage) =>
  new Promise<void>((resolveSend) => {
    if (!process.send) resolveSend();
    else process.send(message, undefined, undefined, () => resolveSend());
  });

const exit = async (code: number) => {
  if (exiting) return;
  exiting = true;
  try {
    await server?.close();
  } finally {
    process.exit(code);
  }
};

process.on('message', (raw: unknown) => {
  const parsed = parentMessageSchema.safeParse(raw);
  if (!parsed.success) return;
  const message = parsed.data;
  if (message.type === 'stop') {
    void exit(0);
    return;
  }
  startFauxqsServer(message)
    .then((started) => {
      server = started;
      return send({ type: 'started', port: started.port, fauxqsVersion: started.fauxqsVersion, queues: [...started.queues], recovery: started.recovery });
    })
    .catch(async (error: unknown) => {
      await send({ type: 'failed', portInUse: isAddressInUse(error), message: error instanceof Error ? error.message : String(error) });
      await exit(1);
    });
});

process.on('disconnect', () => void exit(0));

import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { listenOnLoopback } from '#local/api/listen';

/**
 * A pass-through proxy in front of DynamoDB Local that counts item writes,
 * the way DynamoDB bills them: one per Put/Update/Delete, one per item of a
 * transaction or batch. It answers "how many writes does one purchase cost?"
 * from what the functions really sent, not from a model of it.
 */

export interface WriteCounts {
  readonly total: number;
  readonly byOperation: Readonly<Record<string, number>>;
}

export interface DynamoDbWriteCounter {
  readonly endpoint: string;
  counts(): WriteCounts;
  stop(): Promise<void>;
}

const SINGLE_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);
const transactSchema = z.object({ TransactItems: z.array(z.record(z.string(), z.unknown())) });
const batchSchema = z.object({ RequestItems: z.record(z.string(), z.array(z.unknown())) });

/** Items written by one request, by its X-Amz-Target operation (DynamoDB_20120810.<Operation>). */
export const itemWritesOf = (operation: string, body: string): number => {
  if (SINGLE_WRITES.has(operation)) return 1;
  if (operation === 'TransactWriteItems') {
    const parsed = transactSchema.safeParse(JSON.parse(body));
    // A ConditionCheck reads, it does not write.
    return parsed.success ? parsed.data.TransactItems.filter((item) => !('ConditionCheck' in item)).length : 0;
  }
  if (operation === 'BatchWriteItem') {
    const parsed = batchSchema.safeParse(JSON.parse(body));
    return parsed.success ? Object.values(parsed.data.RequestItems).reduce((sum, writes) => sum + writes.length, 0) : 0;
  }
  return 0;
};

const readBody = (incoming: IncomingMessage): Promise<Buffer> =>
  new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolveBody(Buffer.concat(chunks)));
    incoming.on('error', reject);
  });

export const startDynamoDbWriteCounter = async (target: string, port = 0): Promise<DynamoDbWriteCounter> => {
  const upstream = new URL(target);
  const byOperation: Record<string, number> = {};
  let total = 0;

  const forward = async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const body = await readBody(incoming);
    const operation = String(incoming.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const writes = itemWritesOf(operation, body.toString('utf8'));
    const proxied = request(
      { hostname: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (response) => {
        // Count what DynamoDB accepted: a cancelled transaction or failed condition wrote nothing.
        if (writes > 0 && response.statusCode === 200) {
          total += writes;
          byOperation[operation] = (byOperation[operation] ?? 0) + writes;
        }
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    proxied.on('error', () => {
      outgoing.writeHead(502);
      outgoing.end();
    });
    proxied.end(body);
  };

  const server = createServer((incoming, outgoing) => void forward(incoming, outgoing));
  const boundPort = await listenOnLoopback(server, port, 'DynamoDB write counter');
  return {
    endpoint: `http://127.0.0.1:${boundPort}`,
    counts: () => ({ total, byOperation: { ...byOperation } }),
    stop: () =>
      new Promise((resolveStop) => {
        server.closeAllConnections();
        server.close(() => resolveStop());
      }),
  };
};

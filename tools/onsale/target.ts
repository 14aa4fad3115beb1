import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { createDynamoDbConcertStore } from '#domain/catalog/adapters/dynamodb-concert-store';
import { createConcert } from '#domain/catalog/create-concert';
import { parsePriceBands, rowLabel } from '#domain/catalog/seat-layout';
import { eventBridgeEnvelopeSchema } from '#events/envelope';
import { dataDirLayout, DEFAULT_DATA_DIR, mintDevelopmentToken, type LocalRuntime } from '#local/index';
import { loadLocalConfig, localConfigOf, type LocalRuntimeFile, type OpsConfig } from '#tools/ops/config';
import { hallFor, type HallShape } from './buyer-plan.ts';
import type { ArchivedEvent, InvariantTables } from './invariants.ts';

/**
 * The system an on-sale runs against, whichever way it runs: a runtime in
 * this process, the `npm start` already running, or a runtime in a child
 * process that may be killed and started again over the same data folder.
 */

export interface OnsaleTables extends InvariantTables {
  readonly concerts: string;
  readonly seatAvailability: string;
  readonly waitingRoom: string;
}

export interface Target {
  readonly apiUrl: string;
  readonly documentClient: DynamoDBDocumentClient;
  readonly tables: OnsaleTables;
  /** Endpoints and outputs for the operator tools' SDK adapters (executions, replays). */
  readonly ops: OpsConfig;
  mintToken(buyerId: string): Promise<string>;
  archivedEvents(): Promise<ArchivedEvent[]>;
  /** Resolves once the bus has delivered what it owes the projections. */
  settle(): Promise<void>;
  dynamoDbWrites(): number | undefined;
  stop(): Promise<void>;
}

const tablesFrom = (outputs: Readonly<Record<string, string>>): OnsaleTables => {
  const table = (key: string) => {
    const name = outputs[key];
    if (!name) throw new Error(`no output ${key}`);
    return name;
  };
  return {
    purchases: table('PurchasesTableName'),
    seats: table('SeatsTableName'),
    invoices: table('InvoicesTableName'),
    payments: table('PaymentsTableName'),
    concerts: table('ConcertsTableName'),
    seatAvailability: table('SeatAvailabilityTableName'),
    waitingRoom: table('WaitingRoomTableName'),
  };
};

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** The local archive log: one `{archivedAt, event}` a line; a line half written by a killed runtime is skipped. */
const readArchiveFile = (archiveFile: string | undefined): ArchivedEvent[] => {
  if (!archiveFile || !existsSync(archiveFile)) return [];
  const recordSchema = z.object({ event: eventBridgeEnvelopeSchema });
  return readFileSync(archiveFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .flatMap((line) => {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        return [];
      }
      const record = recordSchema.safeParse(json);
      return record.success ? [record.data.event] : [];
    });
};

const pause = (ms: number) => new Promise<void>((resolvePause) => setTimeout(resolvePause, ms));

const QUIET_MS = 2_000;
const SETTLE_TIMEOUT_MS = 60_000;

/**
 * A runtime in another process cannot say when its bus is idle: wait until
 * the archive has stopped growing for a while (deliveries to the projections
 * follow the archive's own rule), or the deadline passes.
 */
const settleByQuietArchive = async (archiveFile: string | undefined) => {
  const size = () => (archiveFile && existsSync(archiveFile) ? statSync(archiveFile).size : 0);
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  let last = size();
  let quietSince = Date.now();
  while (Date.now() < deadline && Date.now() - quietSince < QUIET_MS) {
    await pause(250);
    const now = size();
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    }
  }
};

export const inProcessTarget = (runtime: LocalRuntime): Target => ({
  apiUrl: runtime.apiUrl,
  documentClient: runtime.documentClient,
  tables: tablesFrom(runtime.info.outputs),
  ops: localConfigOf(runtime.info, runtime.dataDir ?? DEFAULT_DATA_DIR),
  mintToken: (buyerId) => runtime.mintToken(buyerId),
  archivedEvents: async () => runtime.archivedEvents(),
  settle: () => runtime.eventBridge.whenIdle(),
  dynamoDbWrites: () => runtime.dynamoDbWrites()?.total,
  stop: () => runtime.stop(),
});

/**
 * A runtime in another process, known by its runtime file and data folder:
 * tokens are signed with the key in that folder, so they stay valid when the
 * runtime is restarted on the same folder and ports.
 */
export const remoteTarget = (info: LocalRuntimeFile, dataDir: string): Target => {
  const ops = localConfigOf(info, dataDir);
  if (ops.target !== 'local') throw new Error('a remote target is a local runtime');
  const client = new DynamoDBClient({ endpoint: info.endpoints.dynamodb, region: ops.region, credentials: LOCAL_CREDENTIALS });
  return {
    apiUrl: info.endpoints.api,
    documentClient: DynamoDBDocumentClient.from(client),
    tables: tablesFrom(info.outputs),
    ops,
    mintToken: (buyerId) => mintDevelopmentToken({ authDir: dataDirLayout(dataDir).auth, buyerId }),
    archivedEvents: async () => readArchiveFile(ops.archiveFile),
    settle: () => settleByQuietArchive(ops.archiveFile),
    dynamoDbWrites: () => undefined,
    stop: async () => client.destroy(),
  };
};

/** The runtime `npm start` runs: its endpoints from runtime.json, tokens signed with its key. */
export const runningTarget = (apiUrl: string): Target => {
  const runtimeFile = join(DEFAULT_DATA_DIR, 'runtime.json');
  const config = loadLocalConfig(runtimeFile);
  if (config.target !== 'local') throw new Error('--api needs the local runtime');
  const info: LocalRuntimeFile = { endpoints: config.endpoints, outputs: config.outputs, ...(config.archiveFile && { archiveFile: config.archiveFile }) };
  return { ...remoteTarget(info, DEFAULT_DATA_DIR), apiUrl };
};

/** A concert of about `seats` seats, one price band, created through the same code as `npm run concert`. */
export const createOnsaleConcert = async (target: Target, seats: number, concertId: string): Promise<HallShape> => {
  const hall = hallFor(seats);
  const store = createDynamoDbConcertStore({ client: target.documentClient, tables: target.tables });
  await createConcert(store, {
    concertId,
    name: 'On-sale rush',
    venue: 'Local Arena',
    startsAt: '2027-09-01T20:00:00Z',
    currency: 'EUR',
    rows: hall.rows,
    seatsPerRow: hall.seatsPerRow,
    priceBands: parsePriceBands(`A-${rowLabel(hall.rows - 1)}:7500`),
  });
  return hall;
};

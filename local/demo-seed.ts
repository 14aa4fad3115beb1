import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbConcertStore } from '#domain/catalog/adapters/dynamodb-concert-store';
import { createConcert, type ConcertSpec } from '#domain/catalog/create-concert';
import { parsePriceBands } from '#domain/catalog/seat-layout';
import { TABLE_NAME_OUTPUTS } from '#infra/outputs';
import type { LocalApp } from '#local/template/local-app';

/** 20 rows of 25: the 500-seat hall the demo and `npm run onsale` sell. */
export const DEMO_CONCERT: ConcertSpec = {
  concertId: 'demo-night',
  name: 'Demo Night',
  venue: 'Local Arena',
  startsAt: '2027-06-21T20:00:00Z',
  currency: 'EUR',
  rows: 20,
  seatsPerRow: 25,
  priceBands: parsePriceBands('A-E:12000,F-J:9000,K-T:6500'),
};

export const catalogTablesOf = (app: LocalApp) => {
  const table = (key: string) => {
    const name = app.outputs[key];
    if (!name) throw new Error(`The template has no output "${key}"`);
    return name;
  };
  return {
    concerts: table(TABLE_NAME_OUTPUTS.concerts),
    seats: table(TABLE_NAME_OUTPUTS.seats),
    seatAvailability: table(TABLE_NAME_OUTPUTS.seatAvailability),
  };
};

/** Creates a concert through the same data code as `npm run concert -- create`, unless it exists. */
export const seedConcert = async (client: DynamoDBDocumentClient, app: LocalApp, spec: ConcertSpec, options: { replace?: boolean } = {}) => {
  const store = createDynamoDbConcertStore({ client, tables: catalogTablesOf(app) });
  if (!options.replace && (await store.getConcert(spec.concertId))) return false;
  await createConcert(store, spec, { replace: options.replace ?? false });
  return true;
};

export const seedDemoConcert = async (client: DynamoDBDocumentClient, app: LocalApp, log: (line: string) => void): Promise<string> => {
  const created = await seedConcert(client, app, DEMO_CONCERT);
  log(created ? `seeded concert "${DEMO_CONCERT.concertId}" with ${DEMO_CONCERT.rows * DEMO_CONCERT.seatsPerRow} seats` : `concert "${DEMO_CONCERT.concertId}" is already there`);
  return DEMO_CONCERT.concertId;
};

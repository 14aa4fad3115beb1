import { createConcert, type ConcertSpec } from '#domain/catalog/create-concert';
import { createDynamoDbConcertStore } from '#domain/catalog/adapters/dynamodb-concert-store';
import { parsePriceBands } from '#domain/catalog/seat-layout';
import { configureOnSale } from '#domain/waiting-room/adapters/dynamodb-gated-concerts';
import { registerRoom } from '#domain/waiting-room/adapters/dynamodb-waiting-room';
import type { OnSale } from '#domain/waiting-room/on-sale';
import { TABLE_NAME_OUTPUTS } from '#infra/outputs';
import type { LocalRuntimeSeedContext } from '#local/index';

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

const tableOf = (outputs: LocalRuntimeSeedContext['outputs'], key: string) => {
  const name = outputs[key];
  if (!name) throw new Error(`The template has no output "${key}"`);
  return name;
};

const catalogTablesOf = (outputs: LocalRuntimeSeedContext['outputs']) => {
  const table = (key: string) => tableOf(outputs, key);
  return {
    concerts: table(TABLE_NAME_OUTPUTS.concerts),
    seats: table(TABLE_NAME_OUTPUTS.seats),
    seatAvailability: table(TABLE_NAME_OUTPUTS.seatAvailability),
  };
};

/**
 * The local runtime's seed for `npm start` and the tests that buy from the
 * demo concert: created through the same data code as `npm run concert --
 * create` on the first start, kept as it is after.
 */
export const seedDemoConcert = async (context: LocalRuntimeSeedContext): Promise<void> => {
  await seedConcert(context, DEMO_CONCERT);
};

const seedConcert = async ({ documentClient, outputs, log }: LocalRuntimeSeedContext, spec: ConcertSpec): Promise<'created' | 'exists'> => {
  const store = createDynamoDbConcertStore({ client: documentClient, tables: catalogTablesOf(outputs) });
  if (await store.getConcert(spec.concertId)) {
    log(`concert "${spec.concertId}" is already there`);
    return 'exists';
  }
  await createConcert(store, spec, { replace: false });
  log(`seeded concert "${spec.concertId}" with ${spec.rows * spec.seatsPerRow} seats`);
  return 'created';
};

/** A gated concert: buyers join its waiting room's line and buy with the admission token it gives them. */
export const DEMO_ONSALE_CONCERT: ConcertSpec = {
  concertId: 'demo-onsale',
  name: 'Demo On-Sale',
  venue: 'Local Arena',
  startsAt: '2027-06-28T20:00:00Z',
  currency: 'EUR',
  rows: 10,
  seatsPerRow: 20,
  priceBands: parsePriceBands('A-E:9000,F-J:6500'),
};

/** The demo's on-sale, started a minute before the seed so the line serves first come, first served at once. */
const demoOnSale = (now: Date): OnSale => ({
  startsAt: new Date(now.getTime() - 60_000).toISOString(),
  admissionsPerMinute: 60,
  maxActiveBuyers: 200,
  admissionTtlSeconds: 600,
});

/**
 * `npm start`'s seed: the ungated demo concert, and a gated one whose
 * on-sale has started (configured as `npm run concert -- onsale` does).
 */
export const seedDemoConcerts = async (context: LocalRuntimeSeedContext): Promise<void> => {
  await seedDemoConcert(context);
  if ((await seedConcert(context, DEMO_ONSALE_CONCERT)) === 'exists') return;
  const { documentClient: client, outputs } = context;
  await configureOnSale({ client, tableName: tableOf(outputs, TABLE_NAME_OUTPUTS.concerts) }, DEMO_ONSALE_CONCERT.concertId, demoOnSale(new Date()));
  await registerRoom({ client, tableName: tableOf(outputs, TABLE_NAME_OUTPUTS.waitingRoom) }, DEMO_ONSALE_CONCERT.concertId);
  context.log(`gated concert "${DEMO_ONSALE_CONCERT.concertId}": its waiting room is open`);
};

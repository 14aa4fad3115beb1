import { createConcert, type ConcertSpec } from '#domain/catalog/create-concert';
import { createDynamoDbConcertStore } from '#domain/catalog/adapters/dynamodb-concert-store';
import { parsePriceBands } from '#domain/catalog/seat-layout';
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

const catalogTablesOf = (outputs: LocalRuntimeSeedContext['outputs']) => {
  const table = (key: string) => {
    const name = outputs[key];
    if (!name) throw new Error(`The template has no output "${key}"`);
    return name;
  };
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
export const seedDemoConcert = async ({ documentClient, outputs, log }: LocalRuntimeSeedContext): Promise<void> => {
  const store = createDynamoDbConcertStore({ client: documentClient, tables: catalogTablesOf(outputs) });
  if (await store.getConcert(DEMO_CONCERT.concertId)) {
    log(`concert "${DEMO_CONCERT.concertId}" is already there`);
    return;
  }
  await createConcert(store, DEMO_CONCERT, { replace: false });
  log(`seeded concert "${DEMO_CONCERT.concertId}" with ${DEMO_CONCERT.rows * DEMO_CONCERT.seatsPerRow} seats`);
};

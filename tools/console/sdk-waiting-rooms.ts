import { createGatedConcertFinder } from '#domain/waiting-room/adapters/dynamodb-gated-concerts';
import { countPreQueue, createDynamoDbQueueTicketStore, listRooms } from '#domain/waiting-room/adapters/dynamodb-waiting-room';
import { createStoppedExecutionsHealthCheck } from '#domain/waiting-room/adapters/sfn-saga-health';
import { createSqsSagaHealthCheck } from '#domain/waiting-room/adapters/sqs-saga-health';
import { combineSagaHealthChecks } from '#domain/waiting-room/saga-health';
import type { OpsClients } from '#tools/ops/clients';
import type { StackOutputs } from '#tools/ops/config';
import type { WaitingRoomsPort } from './waiting-rooms.ts';

/**
 * The waiting rooms read with the operator's clients, through the domain's
 * own adapters, so the console reads exactly what joins, polls and the
 * admitter read. The concert is read without its admission key: the
 * projection leaves it out, as IAM does for every reader but the signer and
 * the verifier.
 */
export const createSdkWaitingRooms = (clients: Pick<OpsClients, 'documents' | 'sqs' | 'sfn'>, outputs: StackOutputs): WaitingRoomsPort => {
  const room = { client: clients.documents, tableName: outputs.WaitingRoomTableName };
  return {
    listRooms: () => listRooms(room),
    findConcert: createGatedConcertFinder({ client: clients.documents, tableName: outputs.ConcertsTableName, withAdmissionKey: false }),
    readLine: createDynamoDbQueueTicketStore(room).readLine,
    countPreQueue: (concertId) => countPreQueue(room, concertId),
    sagaHealth: combineSagaHealthChecks(
      createSqsSagaHealthCheck({ client: clients.sqs, deadLetterQueueUrl: outputs.PurchaseDeadLetterQueueUrl }),
      createStoppedExecutionsHealthCheck({ client: clients.sfn, stateMachineArn: outputs.StateMachineArn, now: () => new Date() }),
    ),
  };
};

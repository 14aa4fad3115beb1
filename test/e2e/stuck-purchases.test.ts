import { DescribeExecutionCommand, ExecutionDoesNotExist } from '@aws-sdk/client-sfn';
import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { executionArnOf } from '#domain/orders/adapters/sfn-execution-lookup';
import { pendingStartMarker } from '#domain/orders/pending-start';
import { purchaseIdFor } from '#domain/orders/purchase-request';
import type { SagaInput } from '#domain/saga-input';
import { LOCAL_REGION } from '#local/index';
import { errorBodySchema, placePurchase, readPurchase, waitForTerminalPurchase } from '#test/e2e/support/purchases';
import { DEMO_CONCERT_ID, useLocalRuntime } from '#test/e2e/support/runtime';
import { eventually } from '#test/support/eventually';
import { createClients } from '#tools/ops/clients';
import { moveDeadLetters } from '#tools/ops/dead-letters';
import { createSqsQueues } from '#tools/ops/sqs-queues';

/**
 * Nothing accepted stays QUEUED, on the local runtime: the template's
 * scheduled rule runs the sweeper (its minute scaled down to about a second),
 * and the purchases below are left in the states a failure leaves them in,
 * older than the sweeper's window (the template's default of minutes).
 */

/** A saga with cold starts on a loaded 2-core machine takes seconds; this is the point where waiting longer would hide a bug. */
const SAGA_DEADLINE_MS = 90_000;
/** rate(1 minute) runs every 1.2 s. */
const SCHEDULE_SCALE = 0.02;
/** Older than any sane sweep window. */
const LONG_AGO = new Date(Date.now() - 60 * 60 * 1_000).toISOString();

describe('purchases that did not start', () => {
  const local = useLocalRuntime({ scheduleIntervalScale: SCHEDULE_SCALE });

  const clients = () => {
    const { info } = local().runtime;
    return { ...createClients({ target: 'local', region: LOCAL_REGION, endpoints: info.endpoints, outputs: info.outputs }), outputs: info.outputs };
  };

  /** The purchase item exactly as create-purchase writes it, `LONG_AGO`. */
  const recordPurchase = async (buyerId: string, purchaseId: string, seatIds: readonly string[], extra: Record<string, unknown> = {}) => {
    const { documents, outputs } = clients();
    const item = {
      purchaseId,
      buyerId,
      concertId: DEMO_CONCERT_ID,
      seatIds: [...seatIds],
      paymentToken: 'tok_approve',
      paymentRef: 'tok_…rove',
      requestHash: `hash-of-${purchaseId}`,
      correlationId: `corr-${purchaseId}`,
      createdAt: LONG_AGO,
      updatedAt: LONG_AGO,
      status: 'QUEUED',
      statusRank: 0,
      ...pendingStartMarker(purchaseId, LONG_AGO),
      ...extra,
    };
    await documents.send(new PutCommand({ TableName: outputs.PurchasesTableName, Item: item }));
    const input: SagaInput = { purchaseId, buyerId, concertId: DEMO_CONCERT_ID, seatIds: [...seatIds], correlationId: item.correlationId };
    return input;
  };

  const executionExists = async (purchaseId: string) => {
    const { sfn, outputs } = clients();
    try {
      await sfn.send(new DescribeExecutionCommand({ executionArn: executionArnOf(outputs.StateMachineArn, purchaseId) }));
      return true;
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return false;
      throw error;
    }
  };

  const messagesIn = async (queueUrl: string) => {
    const { sqs } = clients();
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  };

  it('fails a dead-lettered purchase for its buyer with the reason, and a redrive of its message starts nothing', async () => {
    // Prepare: a starter claimed the purchase, every start failed, and on the last receive it marked the purchase and the message went to the DLQ.
    const buyerId = 'buyer-dead-lettered';
    const purchaseId = 'stuck-dead-lettered-0001';
    const input = await recordPurchase(buyerId, purchaseId, ['M-1'], { startClaimedAt: LONG_AGO, startDeadLetteredAt: LONG_AGO });
    const { sqs, outputs } = clients();
    await sqs.send(new SendMessageCommand({ QueueUrl: outputs.PurchaseDeadLetterQueueUrl, MessageBody: JSON.stringify(input) }));
    const api = await local().apiAs(buyerId);

    // Act
    const failed = await waitForTerminalPurchase(api, purchaseId, SAGA_DEADLINE_MS);
    const redrive = await moveDeadLetters(createSqsQueues(sqs), { sourceUrl: outputs.PurchaseQueueUrl, deadLetterUrl: outputs.PurchaseDeadLetterQueueUrl }, 10, () => undefined);
    await eventually(() => messagesIn(outputs.PurchaseQueueUrl), (count) => count === 0, {
      what: `the redriven message of ${purchaseId} to be consumed by the starter`,
      timeoutMs: SAGA_DEADLINE_MS,
    });

    // Assess
    expect(failed).toMatchObject({ status: 'FAILED', failure: { reason: 'INTERNAL_ERROR', failedStep: 'StartPurchase' } });
    expect(redrive.moved).toBe(1);
    expect(await executionExists(purchaseId)).toBe(false);
    expect((await readPurchase(api, purchaseId)).status).toBe('FAILED');
  });

  it('queues again a purchase recorded without a message, and it reaches a terminal state', async () => {
    // Prepare: create-purchase recorded it, then its SendMessage failed.
    const buyerId = 'buyer-never-sent';
    const purchaseId = 'stuck-never-sent-0001';
    await recordPurchase(buyerId, purchaseId, ['N-1', 'N-2']);
    const api = await local().apiAs(buyerId);

    // Act
    const purchase = await waitForTerminalPurchase(api, purchaseId, SAGA_DEADLINE_MS);

    // Assess
    expect(purchase).toMatchObject({ purchaseId, status: 'CONFIRMED', seatIds: ['N-1', 'N-2'] });
    expect(await executionExists(purchaseId)).toBe(true);
  });

  it('refuses a seat the concert does not have with a 422 naming it, and creates nothing', async () => {
    // Prepare
    const buyerId = 'buyer-unknown-seat';
    const api = await local().apiAs(buyerId);
    const idempotencyKey = 'unknown-seat-key-0001';
    const purchaseId = purchaseIdFor(buyerId, idempotencyKey);
    const queuedBefore = await messagesIn(clients().outputs.PurchaseQueueUrl);

    // Act
    const response = await api.post(
      '/purchases',
      { concertId: DEMO_CONCERT_ID, seatIds: ['O-1', 'ZZ-999'], paymentToken: 'tok_approve' },
      { headers: { 'Idempotency-Key': idempotencyKey } },
    );
    // Nothing is queued or started before the starter had its chance: a valid purchase sent after the refused one, followed
    // to its end, has been through the queue and the starter, as a message the 422 had queued would have been by then.
    const later = await placePurchase(api, { concertId: DEMO_CONCERT_ID, seatIds: ['O-2'], paymentToken: 'tok_approve' });
    await waitForTerminalPurchase(api, later, SAGA_DEADLINE_MS);

    // Assess
    expect(response.status).toBe(422);
    expect(errorBodySchema.parse(response.body)).toMatchObject({ error: 'UnknownSeats', issues: [{ field: 'seatIds', message: expect.stringContaining('ZZ-999') }] });
    expect(errorBodySchema.parse(response.body).message).not.toContain('O-1');
    const { documents, outputs } = clients();
    expect((await documents.send(new GetCommand({ TableName: outputs.PurchasesTableName, Key: { purchaseId }, ConsistentRead: true }))).Item).toBeUndefined();
    expect(await messagesIn(outputs.PurchaseQueueUrl)).toBe(queuedBefore);
    expect(await executionExists(purchaseId)).toBe(false);
  });
});

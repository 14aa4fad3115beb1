import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, type BatchGetCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { drain, outcomeMixOf, type PurchaseStatus } from '#tools/onsale/drain';

const status = (purchaseId: string, value: string, failureReason?: string): [string, PurchaseStatus] => [
  purchaseId,
  { purchaseId, status: value, ...(failureReason && { failureReason }) },
];

test('the outcome mix counts confirmed, failed by reason, and what has not ended or is missing', () => {
  // Prepare
  const statuses = new Map([
    status('p-1', 'CONFIRMED'),
    status('p-2', 'FAILED', 'SEATS_UNAVAILABLE'),
    status('p-3', 'FAILED', 'SEATS_UNAVAILABLE'),
    status('p-4', 'FAILED'),
    status('p-5', 'PAID'),
  ]);

  // Act
  const mix = outcomeMixOf(['p-1', 'p-2', 'p-3', 'p-4', 'p-5', 'p-missing'], statuses);

  // Assess
  expect(mix).toEqual({ confirmed: 1, failedByReason: { SEATS_UNAVAILABLE: 2, UNKNOWN: 1 }, notTerminal: 2 });
});

describe('drain', () => {
  const documents = mockClient(DynamoDBDocumentClient);

  beforeEach(() => {
    documents.reset();
  });

  it('reads a purchase again only until it is terminal, and ends once every one is', async () => {
    // Prepare
    const rounds: [string, string][][] = [
      [['p-1', 'CONFIRMED'], ['p-2', 'QUEUED']],
      [['p-2', 'FAILED']],
    ];
    const asked: string[][] = [];
    documents.on(BatchGetCommand).callsFake((input: BatchGetCommandInput) => {
      const keys = Object.values(input.RequestItems ?? {})[0]?.Keys ?? [];
      asked.push(keys.map((key) => String(key['purchaseId'])));
      const items = (rounds[asked.length - 1] ?? []).map(([purchaseId, value]) => ({ purchaseId, status: value }));
      return { Responses: { Purchases: items } };
    });
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));

    // Act
    const result = await drain(() => client, 'Purchases', ['p-1', 'p-2'], { startedAt: Date.now(), timeoutSeconds: 30, showProgress: false });

    // Assess
    expect(asked).toEqual([['p-1', 'p-2'], ['p-2']]);
    expect(result.drained).toBe(true);
    expect([...result.statuses.values()].map((purchase) => purchase.status)).toEqual(['CONFIRMED', 'FAILED']);
  });
});

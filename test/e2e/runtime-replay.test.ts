import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { writeLocalRuntimeFile } from '#tools/ops/config';
import { main as replay } from '#tools/replay';
import { placePurchase, waitForTerminalPurchase } from './support/purchases.ts';
import { DEMO_CONCERT_ID, useLocalRuntime } from './support/runtime.ts';

/**
 * Developers replay the archive into live consumers: `npm run replay` of the
 * same window, twice, must leave every projection exactly as it was.
 */

const local = useLocalRuntime();
const TERMINAL_DEADLINE_MS = 90_000;

const capture = () => {
  const lines: string[] = [];
  return { lines, writer: { write: (text: string) => void lines.push(text) } };
};

const projections = async () => {
  const { runtime } = local();
  const { outputs } = runtime.info;
  const purchases = await runtime.documentClient.send(new ScanCommand({ TableName: outputs.PurchasesTableName, ConsistentRead: true }));
  const seats = await runtime.documentClient.send(
    new QueryCommand({
      TableName: outputs.SeatAvailabilityTableName,
      KeyConditionExpression: 'concertId = :concertId',
      ExpressionAttributeValues: { ':concertId': DEMO_CONCERT_ID },
      ConsistentRead: true,
    }),
  );
  const byKey = (items: Record<string, unknown>[] | undefined, key: (item: Record<string, unknown>) => string) =>
    [...(items ?? [])].sort((a, b) => key(a).localeCompare(key(b)));
  return {
    purchases: byKey(purchases.Items, (item) => String(item.purchaseId)),
    seats: byKey(seats.Items, (item) => String(item.seatId)),
  };
};

test('replaying the same window of the archive twice with npm run replay leaves every projection unchanged', async () => {
  // Prepare: one confirmed and one compensated purchase, their events archived and projected.
  const { runtime, apiAs } = local();
  const api = await apiAs('replay-buyer');
  const from = new Date(Date.now() - 60_000).toISOString();
  const confirmed = await placePurchase(api, { concertId: DEMO_CONCERT_ID, seatIds: ['R-1', 'R-2'], paymentToken: 'tok_approve' });
  const declined = await placePurchase(api, { concertId: DEMO_CONCERT_ID, seatIds: ['R-3'], paymentToken: 'tok_decline' });
  await waitForTerminalPurchase(api, confirmed, TERMINAL_DEADLINE_MS);
  await waitForTerminalPurchase(api, declined, TERMINAL_DEADLINE_MS);
  await runtime.eventBridge.whenIdle();
  const to = new Date().toISOString();
  const before = await projections();
  const folder = mkdtempSync(join(tmpdir(), 'replay-'));
  const runtimeFile = join(folder, 'runtime.json');
  writeLocalRuntimeFile(runtimeFile, runtime.info);

  try {
    // Act
    const outcomes: number[] = [];
    for (let run = 0; run < 2; run++) {
      const stdout = capture();
      const stderr = capture();
      outcomes.push(await replay(['--from', from, '--to', to, '--runtime-file', runtimeFile, '--timeout', '2m'], { stdout: stdout.writer, stderr: stderr.writer }));
      await runtime.eventBridge.whenIdle();
    }

    // Assess
    expect(outcomes).toEqual([0, 0]);
    const replayed = runtime.eventBridge.listReplays({}).filter((description) => description.State === 'COMPLETED');
    expect(replayed).toHaveLength(2);
    expect(await projections()).toEqual(before);
    expect(before.purchases.find((item) => item.purchaseId === confirmed)).toMatchObject({ status: 'CONFIRMED' });
    expect(before.seats.find((item) => item.seatId === 'R-3')).toMatchObject({ status: 'AVAILABLE' });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

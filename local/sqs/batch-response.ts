import { z } from 'zod';

/**
 * Which messages of a batch failed, read from the function's response the
 * way Lambda reads it when the mapping reports batch item failures:
 * - no response, no `batchItemFailures`, null or [] -> every message succeeded;
 * - a list of `{ itemIdentifier }` naming messages of the batch -> those failed;
 * - anything else (an identifier empty, missing or not in the batch, a list
 *   that is not a list) -> the whole batch failed.
 */
const batchItemFailureSchema = z.object({ itemIdentifier: z.string().min(1) });
const responseSchema = z.object({ batchItemFailures: z.unknown().optional() });

export const failedMessageIds = (response: unknown, batchMessageIds: readonly string[]): ReadonlySet<string> => {
  const wholeBatch = new Set(batchMessageIds);
  const parsed = responseSchema.safeParse(response);
  if (!parsed.success) return new Set();
  const failures = parsed.data.batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return wholeBatch;
  const failed = new Set<string>();
  for (const failure of failures) {
    const item = batchItemFailureSchema.safeParse(failure);
    if (!item.success || !wholeBatch.has(item.data.itemIdentifier)) return wholeBatch;
    failed.add(item.data.itemIdentifier);
  }
  return failed;
};

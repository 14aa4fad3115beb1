import { z } from 'zod';

/**
 * Messages between the runtime and the process that runs fauxqs (over the
 * Node IPC channel). Both sides parse what they receive.
 */
/** A queue of the template model (local/template/local-app.ts), as much of it as fauxqs serves. */
const queueDeclarationSchema = z.object({
  logicalId: z.string().min(1),
  name: z.string().min(1),
  visibilityTimeoutSeconds: z.number().int(),
  messageRetentionSeconds: z.number().int(),
  redrivePolicy: z.object({ deadLetterQueueArn: z.string().min(1), maxReceiveCount: z.number().int() }).optional(),
});
export type QueueDeclaration = z.infer<typeof queueDeclarationSchema>;

/** A queue the local SQS serves. */
const servedQueueSchema = z.object({ logicalId: z.string(), name: z.string(), url: z.string(), arn: z.string() });
export type ServedQueue = z.infer<typeof servedQueueSchema>;

const startRequestSchema = z.object({
  type: z.literal('start'),
  port: z.number().int().min(0).max(65_535),
  /** Undefined: in memory, nothing kept. */
  journalDir: z.string().min(1).optional(),
  queues: z.array(queueDeclarationSchema),
});
export type StartRequest = z.infer<typeof startRequestSchema>;

export const parentMessageSchema = z.discriminatedUnion('type', [startRequestSchema, z.object({ type: z.literal('stop') })]);

const recoverySchema = z.object({
  /** Messages put back in their queues from the journal. */
  restoredMessages: z.number().int(),
  /** Messages older than their queue's retention period, dropped as SQS would. */
  expiredMessages: z.number().int(),
  /** Messages of queues the template no longer declares. */
  droppedMessages: z.number().int(),
  /** Journal lines that could not be read (a line cut short by a kill). */
  unreadableJournalLines: z.number().int(),
});
export type Recovery = z.infer<typeof recoverySchema>;

export const childMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('started'),
    port: z.number().int(),
    fauxqsVersion: z.string(),
    queues: z.array(servedQueueSchema),
    recovery: recoverySchema,
  }),
  z.object({ type: z.literal('failed'), portInUse: z.boolean(), message: z.string() }),
]);
export type ChildMessage = z.infer<typeof childMessageSchema>;

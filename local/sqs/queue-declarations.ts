import { z } from 'zod';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '#local/ports';

/**
 * A queue as the template declares it (AWS::SQS::Queue), reduced to what the
 * local SQS serves. The runtime maps the template's properties to this.
 */
export const queueDeclarationSchema = z.object({
  logicalId: z.string().min(1),
  queueName: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,80}$/, 'a standard queue name: 1 to 80 letters, digits, hyphens or underscores (FIFO queues are not served locally)'),
  /** @default 30, as SQS */
  visibilityTimeoutSeconds: z.number().int().min(0).max(43_200).default(30),
  /** @default 345600 (4 days), as SQS */
  messageRetentionSeconds: z.number().int().min(60).max(1_209_600).default(345_600),
  redrivePolicy: z
    .object({
      deadLetterTargetArn: z.string().min(1),
      maxReceiveCount: z.number().int().min(1).max(1_000),
    })
    .optional(),
});
export type QueueDeclaration = z.input<typeof queueDeclarationSchema>;
export type ResolvedQueueDeclaration = z.output<typeof queueDeclarationSchema>;

/** A queue the local SQS serves. */
export interface LocalQueue {
  readonly logicalId: string;
  readonly name: string;
  readonly url: string;
  readonly arn: string;
}

export class InvalidQueueDeclarationError extends Error {
  override readonly name = 'InvalidQueueDeclarationError';
}

export const localQueueArn = (queueName: string): string => `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${queueName}`;

/** Path-style URLs on the local endpoint: they resolve without DNS tricks, so clients may use them as endpoints too. */
export const localQueueUrl = (endpoint: string, queueName: string): string => `${endpoint}/${LOCAL_ACCOUNT}/${queueName}`;

/** The queue name inside a queue URL (any host) or ARN. */
export const queueNameOf = (queueUrlOrArn: string): string => {
  const separator = queueUrlOrArn.startsWith('arn:') ? ':' : '/';
  return queueUrlOrArn.replace(/\/+$/, '').split(separator).pop() ?? '';
};

/** Parses the declarations and checks them against each other: unique names, dead-letter queues that exist. */
export const resolveQueueDeclarations = (declarations: readonly QueueDeclaration[]): ResolvedQueueDeclaration[] => {
  const resolved = declarations.map((declaration) => {
    const parsed = queueDeclarationSchema.safeParse(declaration);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw new InvalidQueueDeclarationError(`Queue ${declaration.logicalId}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'is not valid'}`);
  });
  const names = new Set<string>();
  for (const queue of resolved) {
    if (names.has(queue.queueName)) throw new InvalidQueueDeclarationError(`Queue name ${queue.queueName} is declared twice`);
    names.add(queue.queueName);
  }
  const arns = new Set(resolved.map((queue) => localQueueArn(queue.queueName)));
  for (const queue of resolved) {
    const target = queue.redrivePolicy?.deadLetterTargetArn;
    if (target !== undefined && !arns.has(target)) {
      throw new InvalidQueueDeclarationError(`Queue ${queue.logicalId}: its dead-letter queue ${target} is not a queue of the template`);
    }
  }
  return resolved;
};

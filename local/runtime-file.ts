import { z } from 'zod';
import { STACK_OUTPUTS } from '#infra/outputs';

/**
 * The contract of `<data dir>/runtime.json` (`.local/runtime.json` for
 * `npm start`): the local runtime writes it once all its services listen,
 * and removes it (or leaves a dead `pid`) when it stops. The tools and tests
 * read it to find the running system, so its shape is part of the local
 * runtime's public surface.
 */

const arnSchema = z.string().regex(/^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+$/, 'must be an ARN');
const nameSchema = z.string().min(1);

/**
 * The stack outputs the tools read, under the CfnOutput keys the CDK stack
 * declares (#infra/outputs), so `cdk deploy --outputs-file` writes exactly
 * these; the local runtime writes the same names into its runtime file.
 */
export const stackOutputsSchema = z.object({
  [STACK_OUTPUTS.stateMachineArn]: arnSchema.describe('The purchase saga state machine; executions are named after their purchaseId'),
  [STACK_OUTPUTS.eventBusName]: nameSchema.describe('The custom bus the domain events go to'),
  [STACK_OUTPUTS.eventBusArn]: arnSchema.describe('ARN of that bus: the destination of replays'),
  [STACK_OUTPUTS.archiveName]: nameSchema.describe('The archive of that bus, replayed by `npm run replay`'),
  ArchiveArn: arnSchema.optional().describe('ARN of the archive; derived from EventBusArn and ArchiveName when absent'),
  [STACK_OUTPUTS.purchaseQueueUrl]: z.url().describe('The purchase queue the API enqueues to and the starter reads'),
  [STACK_OUTPUTS.purchaseDeadLetterQueueUrl]: z.url().describe('Dead-letter queue of the purchase queue'),
  PurchasesTableName: nameSchema,
  SeatsTableName: nameSchema,
  SeatAvailabilityTableName: nameSchema,
  InvoicesTableName: nameSchema,
  PaymentsTableName: nameSchema,
  ConcertsTableName: nameSchema,
  WaitingRoomTableName: nameSchema.describe('The waiting rooms: tickets, line counters, room states; `npm run concert -- onsale` lists a room there'),
});
export type StackOutputs = z.infer<typeof stackOutputsSchema>;

const localEndpointsSchema = z.object({
  dynamodb: z.url(),
  sqs: z.url(),
  stepfunctions: z.url(),
  eventbridge: z.url(),
  api: z.url(),
});
export type LocalEndpoints = z.infer<typeof localEndpointsSchema>;

export const localRuntimeFileSchema = z.object({
  pid: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('Process id of the runtime, so a file left behind by a killed runtime is recognised as stale'),
  endpoints: localEndpointsSchema.describe('http://127.0.0.1:<port> of each local service'),
  outputs: stackOutputsSchema.describe('Local names and ARNs of the resources, under the CfnOutput names of the stack'),
  archiveFile: z
    .string()
    .min(1)
    .optional()
    .describe(
      'The local archive of the bus: JSON Lines, one archived event a line, either the envelope EventBridge delivers ' +
        '({id, "detail-type", source, time, detail, ...}) or {archivedAt, event: <envelope>} as the local EventBridge ' +
        'writes archives/<ArchiveName>.jsonl. Absolute, or relative to the folder of this file.',
    ),
});
export type LocalRuntimeFile = z.infer<typeof localRuntimeFileSchema>;

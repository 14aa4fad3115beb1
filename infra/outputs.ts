import { TABLES, type TableId } from '#domain/tables';

/**
 * The deployed stack's name and its CloudFormation output keys: the contract
 * between the CDK app and whatever reads the stack (the local runtime reads
 * `cdk.out/<STACK_NAME>.template.json`; operator tooling reads the outputs).
 * Kept free of aws-cdk-lib so tools can import it cheaply. Renaming a key
 * breaks those readers.
 */
export const STACK_NAME = 'Ticketing';

export const STACK_OUTPUTS = {
  apiUrl: 'ApiUrl',
  userPoolId: 'UserPoolId',
  userPoolClientId: 'UserPoolClientId',
  stateMachineArn: 'StateMachineArn',
  stateMachineLogGroupName: 'StateMachineLogGroupName',
  eventBusName: 'EventBusName',
  eventBusArn: 'EventBusArn',
  archiveName: 'ArchiveName',
  purchaseQueueUrl: 'PurchaseQueueUrl',
  purchaseDeadLetterQueueUrl: 'PurchaseDeadLetterQueueUrl',
  purchaseStatusDeadLetterQueueUrl: 'PurchaseStatusProjectionDeadLetterQueueUrl',
  seatAvailabilityDeadLetterQueueUrl: 'SeatAvailabilityProjectionDeadLetterQueueUrl',
  alarmTopicArn: 'AlarmTopicArn',
} as const;

const pascalCase = (id: string): string => id.charAt(0).toUpperCase() + id.slice(1);

/** The output key of a table's physical name, e.g. `PurchasesTableName`. */
const tableNameOutput = (table: TableId): string => `${pascalCase(table)}TableName`;

export const TABLE_NAME_OUTPUTS: Readonly<Record<TableId, string>> = Object.fromEntries(
  (Object.keys(TABLES) as TableId[]).map((table) => [table, tableNameOutput(table)]),
) as Record<TableId, string>;

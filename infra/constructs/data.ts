import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLES, type TableId } from '#domain/tables';

export type TicketingTables = Readonly<Record<TableId, dynamodb.Table>>;

export interface TicketingDataProps {
  /**
   * What happens to the tables when they leave the stack. Purchases, seats
   * and payments are the business record, so they stay by default.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Encryption at rest. The AWS managed key (`aws/dynamodb`) puts key usage in
   * CloudTrail without the cost and policy of a customer managed key.
   * @default dynamodb.TableEncryption.AWS_MANAGED
   */
  readonly encryption?: dynamodb.TableEncryption;
}

/**
 * The tables of domain/tables.ts, one DynamoDB table each: on-demand (an on-sale
 * spike needs no capacity planning), point-in-time recovery, encrypted,
 * retained, with TTL where the key schema names a TTL attribute.
 *
 * Seat holds expire by their `holdExpiresAt` attribute, read by the domain,
 * not by TTL: TTL deletes items, and a seat item must never disappear.
 */
export class TicketingData extends Construct {
  public readonly tables: TicketingTables;

  constructor(scope: Construct, id: string, props: TicketingDataProps = {}) {
    super(scope, id);
    const entries = (Object.keys(TABLES) as TableId[]).map((tableId) => [tableId, this.createTable(tableId, props)] as const);
    this.tables = Object.fromEntries(entries) as Record<TableId, dynamodb.Table>;
  }

  private createTable(tableId: TableId, props: TicketingDataProps): dynamodb.Table {
    const schema: { partitionKey: string; sortKey?: string; timeToLiveAttribute?: string } = TABLES[tableId];
    return new dynamodb.Table(this, constructIdOf(tableId), {
      partitionKey: { name: schema.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: schema.sortKey === undefined ? undefined : { name: schema.sortKey, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: schema.timeToLiveAttribute,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: props.encryption ?? dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }
}

/** `seatAvailability` -> `SeatAvailability`: the construct id, hence a stable logical id. */
const constructIdOf = (tableId: TableId): string => tableId.charAt(0).toUpperCase() + tableId.slice(1);

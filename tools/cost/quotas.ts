import { PRICE_REGION, PRICES_CHECKED } from './prices.ts';

/**
 * AWS's default quotas that bound each stage of a purchase, in the region
 * the prices are for. Each is adjustable (Service Quotas or a support case)
 * unless it says otherwise; `raise` says what to ask for or change.
 */

export interface Quota {
  readonly value: number;
  readonly per: string;
  readonly source: string;
  readonly raise: string;
  readonly estimate?: string;
}

export const QUOTA_REGION = PRICE_REGION;
export const QUOTAS_CHECKED = PRICES_CHECKED;

export const QUOTAS = {
  httpApiRequests: {
    value: 10_000,
    per: 'requests/s per account and region (burst 5,000)',
    source: 'API Gateway quotas (docs.aws.amazon.com/apigateway)',
    raise: 'ask for a higher account-level throttle; put a CDN or waiting room in front of the on-sale page',
  },
  lambdaConcurrency: {
    value: 1_000,
    per: 'concurrent executions per account and region',
    source: 'Lambda quotas (docs.aws.amazon.com/lambda)',
    raise: 'ask for more concurrent executions (new accounts may start lower than 1,000)',
  },
  startExecution: {
    value: 300,
    per: 'StartExecution/s sustained (bucket 1,300), Standard',
    source: 'Step Functions quotas, API action throttling (docs.aws.amazon.com/step-functions)',
    raise: 'ask for a higher StartExecution refill rate; or start fewer executions (one per purchase is the floor)',
  },
  stateTransitions: {
    value: 1_500,
    per: 'state transitions/s sustained (bucket 5,000), Standard',
    source: 'Step Functions quotas, state transition throttling (docs.aws.amazon.com/step-functions)',
    raise: 'ask for a higher state transition refill rate; or fewer states per purchase',
    estimate: 'the figure DESIGN.md gives for the large regions; AWS has raised it in some regions since, so read Service Quotas',
  },
  partitionWrites: {
    value: 1_000,
    per: 'write units/s per partition (3,000 read units/s)',
    source: 'DynamoDB partitions and data distribution (docs.aws.amazon.com/amazondynamodb)',
    raise: 'not adjustable: spread a concert over more partition keys (e.g. concertId#section) so DynamoDB can split it; warm throughput helps only once the table has split',
  },
  onDemandTableWrites: {
    value: 4_000,
    per: 'write units/s a new on-demand table serves at once (12,000 reads)',
    source: 'DynamoDB on-demand capacity mode, initial throughput (docs.aws.amazon.com/amazondynamodb)',
    raise: 'pre-warm the table (warm throughput) before the on-sale',
  },
  putEvents: {
    value: 10_000,
    per: 'PutEvents requests/s per account and region',
    source: 'EventBridge quotas (docs.aws.amazon.com/eventbridge)',
    raise: 'ask for a higher PutEvents rate; batch a step\'s events into one request',
  },
} as const satisfies Record<string, Quota>;

export const QUOTA_PER_PARTITION_READS = 3_000;
/** The reads a new on-demand table serves at once, beside its writes (onDemandTableWrites). */
export const QUOTA_ON_DEMAND_TABLE_READS = 12_000;

/**
 * The price table the cost page multiplies by. Every price names its region,
 * the page it is published on and when it was checked, so a reader can
 * check it again; a price we could not check is marked as an estimate and
 * the page says so next to every figure it feeds.
 */

export interface Price {
  readonly usd: number;
  /** What one `usd` buys, e.g. "1M requests" or "GB-second". */
  readonly per: string;
  readonly region: string;
  /** The AWS page it is published on. */
  readonly source: string;
  readonly checked: string;
  /** Set when the figure is not one we are sure of: why, and what it assumes. */
  readonly estimate?: string;
}

export const PRICE_REGION = 'us-east-1';
export const PRICES_CHECKED = '2026-12-07';

const price = (usd: number, per: string, service: string, estimate?: string): Price => ({
  usd,
  per,
  region: PRICE_REGION,
  source: `aws.amazon.com/${service}/pricing`,
  checked: PRICES_CHECKED,
  ...(estimate !== undefined && { estimate }),
});

/** On-demand prices after any free tier: at on-sale volumes the free tier is a rounding error. */
export const PRICES = {
  stateTransition: price(0.000025, 'state transition (Standard)', 'step-functions'),
  expressRequest: price(1.0 / 1e6, 'request (Express)', 'step-functions'),
  expressGbSecond: price(0.00001667, 'GB-second (Express, first tier; 64 MB and 100 ms increments)', 'step-functions'),
  durableOperation: price(
    8.0 / 1e6,
    'durable operation (Lambda durable functions)',
    'lambda',
    'the launch price of durable operations as we know it; data written and retained by checkpoints is billed too and left out here',
  ),
  lambdaRequest: price(0.2 / 1e6, 'request', 'lambda'),
  lambdaArmGbSecond: price(0.0000133334, 'GB-second (arm64, first tier)', 'lambda'),
  lambdaX86GbSecond: price(0.0000166667, 'GB-second (x86_64, first tier)', 'lambda'),
  dynamoDbWriteUnit: price(0.625 / 1e6, 'write request unit (on-demand)', 'dynamodb'),
  dynamoDbReadUnit: price(0.125 / 1e6, 'read request unit (on-demand)', 'dynamodb'),
  eventBridgeEvent: price(1.0 / 1e6, 'custom event put (64 KB chunk)', 'eventbridge'),
  eventBridgeArchiveGb: price(0.1, 'GB of events archived', 'eventbridge'),
  sqsRequest: price(0.4 / 1e6, 'request (standard queue, 64 KB chunk)', 'sqs'),
  httpApiRequest: price(1.0 / 1e6, 'HTTP API request (first 300M a month)', 'api-gateway'),
  logsIngestedGb: price(0.5, 'GB ingested (standard and vended logs, first tier)', 'cloudwatch'),
  eksControlPlaneHour: price(0.1, 'cluster-hour (standard support)', 'eks'),
  nodeHour: price(0.0816, 'hour of m7g.large (2 vCPU, 8 GiB, Linux, on-demand)', 'ec2'),
  loadBalancerHour: price(0.0225, 'Application Load Balancer hour (LCUs left out)', 'elasticloadbalancing'),
} as const satisfies Record<string, Price>;

export type Prices = typeof PRICES;

/** Hours AWS bills in a month. */
export const HOURS_PER_MONTH = 730;

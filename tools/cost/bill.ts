import type { CostRun } from './cost-run.ts';
import { HOURS_PER_MONTH, type Price, type Prices } from './prices.ts';
import { QUOTA_PER_PARTITION_READS, type Quota, QUOTAS } from './quotas.ts';
import type { FunctionFacts, TemplateFacts } from './template-facts.ts';

/**
 * The bill of one million purchases with the run's outcome mix, on the
 * workflow as deployed and on its two alternatives, the always-on baseline
 * it competes with, and the ceiling of each stage under the default quotas.
 * Pure arithmetic over the run's counts, the template and the price table.
 */

export const PURCHASES = 1_000_000;

export interface BillLine {
  readonly service: string;
  readonly item: string;
  /** How many `price.per` one purchase uses. */
  readonly perPurchase: number;
  readonly price: Price;
  readonly usdPerMillion: number;
  /** Set when the quantity (not only the price) is our estimate rather than a count. */
  readonly estimate?: string;
}

export interface WorkflowBill {
  readonly workflow: 'Step Functions Standard' | 'Step Functions Express' | 'Lambda durable functions';
  readonly lines: readonly BillLine[];
  readonly usdPerMillion: number;
}

interface CapacityRow {
  readonly stage: string;
  readonly quota: Quota;
  readonly perPurchase: number;
  readonly perPurchaseUnit: string;
  readonly purchasesPerSecond: number;
}

interface Baseline {
  readonly peakPurchasesPerSecond: number;
  readonly vcpuSecondsPerPurchase: number;
  readonly vcpusNeeded: number;
  readonly nodes: number;
  readonly monthlyUsd: number;
  /** What serverless spends per purchase on what the cluster would replace. */
  readonly replacedUsdPerPurchase: number;
  readonly breakEvenPurchasesPerMonth: number;
}

export interface Bill {
  readonly purchases: number;
  readonly workflows: readonly WorkflowBill[];
  readonly capacity: readonly CapacityRow[];
  readonly limiting: CapacityRow;
  readonly baseline: Baseline;
}

/** Lambda gives a function one vCPU at 1,769 MB, and a share of one below it. */
export const MB_PER_VCPU = 1_769;
/** Node utilisation the cluster is sized for at peak, leaving room for a node lost. */
export const TARGET_UTILISATION = 0.6;
export const VCPUS_PER_NODE = 2;
/** Two nodes at least, in two Availability Zones. */
export const MIN_NODES = 2;
/** Express bills memory in 64 MB steps; a saga's small payloads stay in the first. */
const EXPRESS_MEMORY_GB = 64 / 1024;
export const EXPRESS_INCREMENT_MS = 100;
const BYTES_PER_GB = 1024 ** 3;

const line = (service: string, item: string, perPurchase: number, price: Price, estimate?: string): BillLine => ({
  service,
  item,
  perPurchase,
  price,
  usdPerMillion: perPurchase * PURCHASES * price.usd,
  ...(estimate !== undefined && { estimate }),
});

const total = (lines: readonly BillLine[]) => lines.reduce((sum, each) => sum + each.usdPerMillion, 0);
const sum = <T>(items: readonly T[], of: (item: T) => number) => items.reduce((acc, item) => acc + of(item), 0);

export const computeBill = (run: CostRun, facts: TemplateFacts, prices: Prices): Bill => {
  const purchases = Math.max(1, run.outcomes.accepted);
  const per = (count: number) => count / purchases;
  const factsOf = (logicalId: string): FunctionFacts | undefined => facts.functions.find((fn) => fn.logicalId === logicalId);
  // A scheduled function runs whatever the traffic: not a cost per purchase.
  const measured = run.functions.filter((fn) => factsOf(fn.logicalId)?.scheduled !== true);
  const gbSeconds = (fns: typeof measured, architecture: 'arm64' | 'x86_64') =>
    sum(
      fns.filter((fn) => (factsOf(fn.logicalId)?.architecture ?? 'x86_64') === architecture),
      (fn) => (fn.billedMs / 1000) * ((factsOf(fn.logicalId)?.memoryMb ?? 128) / 1024),
    );
  const executions = sum(run.paths, (path) => path.executions);
  const transitions = sum(run.paths, (path) => path.transitions);
  const retries = sum(run.paths, (path) => path.retries);
  const taskAttempts = sum(run.paths, (path) => path.taskAttempts);
  const executionLogBytes = sum(run.paths, (path) => path.logBytes);
  const tables = Object.values(run.dynamoDb.unitsByTable);

  const lambdaLines = (invocations: number, estimate?: string) => [
    line('Lambda', 'requests', per(invocations), prices.lambdaRequest, estimate),
    line('Lambda', 'arm64 duration', per(gbSeconds(measured, 'arm64')), prices.lambdaArmGbSecond),
    ...(gbSeconds(measured, 'x86_64') > 0 ? [line('Lambda', 'x86_64 duration', per(gbSeconds(measured, 'x86_64')), prices.lambdaX86GbSecond)] : []),
  ];
  const shared = [
    line('DynamoDB', 'write units', per(sum(tables, (table) => table.write)), prices.dynamoDbWriteUnit),
    line('DynamoDB', 'read units', per(sum(tables, (table) => table.read)), prices.dynamoDbReadUnit),
    line('EventBridge', 'events put', per(run.eventBridge.events), prices.eventBridgeEvent),
    line('EventBridge', 'archive', per(run.eventBridge.bytes / BYTES_PER_GB), prices.eventBridgeArchiveGb),
    line('SQS', 'requests', per(run.sqs.sendMessage + run.sqs.receiveMessage + run.sqs.deleteMessageBatch), prices.sqsRequest),
    line('API Gateway', 'HTTP API requests', per(run.api.requests), prices.httpApiRequest),
    line('CloudWatch Logs', 'function logs', per(sum(measured, (fn) => fn.logBytes) / BYTES_PER_GB), prices.logsIngestedGb),
  ];
  const invocations = sum(measured, (fn) => fn.invocations);
  const executionLog = line('CloudWatch Logs', `execution log (level ${facts.stateMachine.logLevel})`, per(executionLogBytes / BYTES_PER_GB), prices.logsIngestedGb);

  const standardLines = [line('Step Functions', 'state transitions', per(transitions), prices.stateTransition), executionLog, ...lambdaLines(invocations), ...shared];
  const expressDuration = sum(run.paths, (path) => {
    const average = path.durationMs / Math.max(1, path.executions);
    return path.executions * (Math.ceil(average / EXPRESS_INCREMENT_MS) * EXPRESS_INCREMENT_MS / 1000) * EXPRESS_MEMORY_GB;
  });
  const expressLines = [
    line('Step Functions', 'Express requests', per(executions), prices.expressRequest),
    line('Step Functions', 'Express duration (64 MB)', per(expressDuration), prices.expressGbSecond, 'each path\'s average execution time, rounded up to 100 ms'),
    executionLog,
    ...lambdaLines(invocations),
    ...shared,
  ];
  // One durable function runs the saga's steps in its own invocations: the step functions' invocations become its replays.
  const stepInvocations = sum(measured.filter((fn) => facts.stepFunctionIds.includes(fn.logicalId)), (fn) => fn.invocations);
  const durableLines = [
    line('Lambda durable functions', 'durable operations', per(executions + taskAttempts), prices.durableOperation, 'one operation to start and one checkpointed step a task attempt'),
    ...lambdaLines(invocations - stepInvocations + executions + retries, 'the step invocations replaced by one invocation an execution and one replay a retry'),
    ...shared,
  ];

  const workflows: WorkflowBill[] = [
    { workflow: 'Step Functions Standard', lines: standardLines, usdPerMillion: total(standardLines) },
    { workflow: 'Step Functions Express', lines: expressLines, usdPerMillion: total(expressLines) },
    { workflow: 'Lambda durable functions', lines: durableLines, usdPerMillion: total(durableLines) },
  ];

  const capacity = capacityOf(run, facts, { per, executions, transitions, measured });
  const limiting = capacity.reduce((lowest, row) => (row.purchasesPerSecond < lowest.purchasesPerSecond ? row : lowest));

  const vcpuSecondsPerPurchase = per(sum(measured, (fn) => (fn.billedMs / 1000) * ((factsOf(fn.logicalId)?.memoryMb ?? 128) / MB_PER_VCPU)));
  const vcpusNeeded = (limiting.purchasesPerSecond * vcpuSecondsPerPurchase) / TARGET_UTILISATION;
  const nodes = Math.max(MIN_NODES, Math.ceil(vcpusNeeded / VCPUS_PER_NODE));
  const monthlyUsd = HOURS_PER_MONTH * (prices.eksControlPlaneHour.usd + nodes * prices.nodeHour.usd + prices.loadBalancerHour.usd);
  const replaced = standardLines.filter((each) => each.service === 'Step Functions' || each.service === 'Lambda' || each.service === 'API Gateway' || each === executionLog);
  const replacedUsdPerPurchase = total(replaced) / PURCHASES;
  return {
    purchases,
    workflows,
    capacity,
    limiting,
    baseline: {
      peakPurchasesPerSecond: limiting.purchasesPerSecond,
      vcpuSecondsPerPurchase,
      vcpusNeeded,
      nodes,
      monthlyUsd,
      replacedUsdPerPurchase,
      breakEvenPurchasesPerMonth: replacedUsdPerPurchase > 0 ? monthlyUsd / replacedUsdPerPurchase : Number.POSITIVE_INFINITY,
    },
  };
};

interface CapacityInputs {
  readonly per: (count: number) => number;
  readonly executions: number;
  readonly transitions: number;
  readonly measured: CostRun['functions'];
}

const capacityOf = (run: CostRun, facts: TemplateFacts, { per, executions, transitions, measured }: CapacityInputs): CapacityRow[] => {
  const row = (stage: string, quota: Quota, perPurchase: number, perPurchaseUnit: string, ceiling = quota.value / Math.max(perPurchase, Number.EPSILON)): CapacityRow => ({
    stage,
    quota,
    perPurchase,
    perPurchaseUnit,
    purchasesPerSecond: ceiling,
  });
  const consumer = run.functions.find((fn) => fn.logicalId === facts.queueConsumer.functionLogicalId);
  const batchSeconds = consumer && consumer.invocations > 0 ? consumer.billedMs / consumer.invocations / 1000 : 0;
  const consumerConcurrency = facts.queueConsumer.maximumConcurrency ?? QUOTAS.lambdaConcurrency.value;
  const seats = run.dynamoDb.unitsByTable[facts.seatsTableLogicalId] ?? { read: 0, write: 0 };
  const busiest = Object.entries(run.dynamoDb.unitsByTable).reduce<[string, number]>((top, [table, units]) => (units.write > top[1] ? [table, units.write] : top), ['', 0]);
  return [
    row('HTTP API', QUOTAS.httpApiRequests, per(run.api.requests), 'requests'),
    row(
      'queue consumer',
      {
        value: consumerConcurrency * facts.queueConsumer.batchSize,
        per: `messages in flight: maximum concurrency ${consumerConcurrency} x batch size ${facts.queueConsumer.batchSize} (the template's)`,
        source: `the template's event source mapping ${facts.queueConsumer.logicalId}`,
        raise: 'raise ScalingConfig.MaximumConcurrency (it exists to keep StartExecution under its quota) or the batch size',
      },
      batchSeconds,
      's a batch (measured)',
      (consumerConcurrency * facts.queueConsumer.batchSize) / Math.max(batchSeconds, Number.EPSILON),
    ),
    row('StartExecution', QUOTAS.startExecution, per(executions), 'executions'),
    row('state transitions', QUOTAS.stateTransitions, per(transitions), 'transitions'),
    row('Lambda concurrency', QUOTAS.lambdaConcurrency, per(sum(measured, (fn) => fn.billedMs / 1000)), 'function-seconds'),
    row(
      "a concert's seat items (one partition key)",
      QUOTAS.partitionWrites,
      Math.max(per(seats.write), per(seats.read) * (QUOTAS.partitionWrites.value / QUOTA_PER_PARTITION_READS)),
      'write units (reads counted at a third)',
    ),
    row(`busiest table (${busiest[0]})`, QUOTAS.onDemandTableWrites, per(busiest[1]), 'write units'),
    row('EventBridge PutEvents', QUOTAS.putEvents, per(run.eventBridge.events), 'events (one a request)'),
  ];
};

import { execFileSync } from 'node:child_process';
import { memoryLogSink } from '#local/index';
import { createClients } from '#tools/ops/clients';
import { createSfnExecutions } from '#tools/ops/sfn-executions';
import { runOnsale, type FinishedRun, type OnsaleOptions } from '#tools/onsale/run-onsale';
import { countExecution, groupByPath, type ExecutionCounts } from './count-executions.ts';
import { countFunctionLogs } from './count-function-logs.ts';
import type { CostRun } from './cost-run.ts';
import { PRICE_REGION } from './prices.ts';
import type { TemplateFacts } from './template-facts.ts';

/**
 * One seeded on-sale on the in-memory runtime (npm run onsale's own run),
 * and the counts of what AWS would bill, taken from what the runtime
 * recorded before it stops.
 */

export interface CollectOptions extends Pick<OnsaleOptions, 'buyers' | 'seats' | 'concurrency' | 'seed' | 'timeoutSeconds' | 'log'> {
  readonly command: string;
  readonly facts: TemplateFacts;
  readonly date: Date;
}

/** An execution ARN as long as a deployed one: the state machine's generated name carries a 12-character suffix. */
const deployedExecutionArn = (facts: TemplateFacts, name: string) =>
  `arn:aws:states:${PRICE_REGION}:123456789012:execution:${facts.stateMachine.logicalId}-AbCdEfGhIjKl:${name}`;

const gitCommit = (): string => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
};

interface Recorded {
  readonly executions: Array<{ readonly outcome: string; readonly counts: ExecutionCounts }>;
  readonly dynamoDb: CostRun['dynamoDb'];
  readonly eventBridge: CostRun['eventBridge'];
}

const record = async ({ target, runtime, accepted }: FinishedRun, facts: TemplateFacts): Promise<Recorded> => {
  const clients = createClients(target.ops);
  try {
    const executions = createSfnExecutions(clients.sfn, target.ops.outputs.StateMachineArn);
    const counted = [];
    for (const name of accepted) {
      const events = await executions.history(name);
      const counts = countExecution(events, deployedExecutionArn(facts, name));
      const last = events.at(-1)?.type ?? 'none';
      counted.push({ outcome: last === 'ExecutionSucceeded' ? (counts.path.at(-1) ?? last) : last, counts });
    }
    const archived = await target.archivedEvents();
    const writes = runtime?.dynamoDbWrites();
    return {
      executions: counted,
      dynamoDb: { itemWrites: writes?.total ?? 0, unitsByTable: writes?.unitsByTable ?? {} },
      eventBridge: { events: archived.length, bytes: archived.reduce((sum, event) => sum + Buffer.byteLength(JSON.stringify(event)), 0) },
    };
  } finally {
    clients.sfn.destroy();
    clients.eventBridge.destroy();
    clients.sqs.destroy();
    clients.documents.destroy();
  }
};

export const collectCostRun = async (options: CollectOptions): Promise<CostRun> => {
  const logs = memoryLogSink();
  let recorded: Recorded | undefined;
  const report = await runOnsale({
    ...options,
    functionLogs: logs,
    afterRun: async (run) => {
      recorded = await record(run, options.facts);
    },
  });
  if (!recorded) throw new Error('The on-sale ended before its counts were taken');
  const failedInvariants = report.invariants.filter((result) => !result.ok);
  if (failedInvariants.length > 0) throw new Error(`The run broke invariants, so its counts are not a purchase's: ${failedInvariants.map((r) => r.name).join(', ')}`);

  const functions = countFunctionLogs(logs.lines);
  const starter = functions.find((fn) => fn.logicalId === options.facts.queueConsumer.functionLogicalId);
  const rejected = Object.fromEntries([...report.rejected].map(([status, n]) => [String(status), n]));
  return {
    run: {
      command: options.command,
      seed: options.seed,
      buyers: options.buyers,
      seats: options.seats,
      concurrency: options.concurrency,
      date: options.date.toISOString().slice(0, 10),
      commit: gitCommit(),
      elapsedMs: report.elapsedMs,
    },
    outcomes: { accepted: report.accepted, rejected, confirmed: report.mix.confirmed, failedByReason: { ...report.mix.failedByReason } },
    paths: groupByPath(recorded.executions),
    functions,
    dynamoDb: recorded.dynamoDb,
    eventBridge: recorded.eventBridge,
    sqs: { sendMessage: report.accepted, receiveMessage: starter?.invocations ?? 0, deleteMessageBatch: starter?.invocations ?? 0 },
    api: { requests: report.accepted + [...report.rejected.values()].reduce((sum, n) => sum + n, 0) },
  };
};

import type { Bill, BillLine, WorkflowBill } from './bill.ts';
import { EXPRESS_INCREMENT_MS, MB_PER_VCPU, MIN_NODES, PURCHASES, TARGET_UTILISATION, VCPUS_PER_NODE } from './bill.ts';
import type { CostRun } from './cost-run.ts';
import { HOURS_PER_MONTH, PRICES, type Price } from './prices.ts';
import { QUOTA_REGION, QUOTAS_CHECKED } from './quotas.ts';
import type { TemplateFacts } from './template-facts.ts';
import { BUYERS, roundTrips, WAITING_ROOM_ASSUMPTIONS, WAITING_ROOM_CALLS, type DynamoDbCall, type WaitingRoomBill } from './waiting-room.ts';

/** docs/cost.md: what the counts of one named run cost, and how far the deployed system goes. */

const usd = (value: number) => `$${value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2)}`;
const count = (value: number) => (value >= 100 ? Math.round(value).toLocaleString('en-US') : Number(value.toPrecision(3)).toString());
const rate = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'unbounded');
const priceText = (price: Price) => `$${Number(price.usd.toPrecision(6))} per ${price.per}`;
const mark = (estimate: string | undefined) => (estimate === undefined ? '' : ' (estimate*)');

const billTable = (bill: WorkflowBill): string[] => [
  '| service | item | per purchase | price | $ per 1M purchases |',
  '|---|---|---:|---|---:|',
  ...bill.lines.map((each: BillLine) =>
    `| ${each.service} | ${each.item}${mark(each.estimate)} | ${count(each.perPurchase)} | ${priceText(each.price)}${mark(each.price.estimate)} | ${usd(each.usdPerMillion)} |`),
  `| **total** | | | | **${usd(bill.usdPerMillion)}** |`,
];

const BEHAVIOUR: Record<WorkflowBill['workflow'], string> = {
  'Step Functions Standard':
    'As deployed. Exactly-once execution of each state (a step still retries, and every step is idempotent for that), executions up to one year, the full history in the console and through GetExecutionHistory for 90 days after the end, redrive from the failed step. Billed per state transition, retries included.',
  'Step Functions Express':
    'At-least-once when started asynchronously (a purchase could run twice: every step is idempotent, so it would be safe, but a second charge attempt is only prevented by the payment idempotency key), a 5-minute limit per execution (the slow payment path and a long retry backoff must fit in it), no redrive, and the history only in CloudWatch Logs: support reads the execution log instead of the console\'s history, so level ALL is no longer optional. Billed per execution and its duration, so retries cost nothing extra.',
  'Lambda durable functions':
    'The saga written as code in one function whose steps are checkpointed and replayed (certain: steps, waits and retries are durable operations; executions may run far longer than one invocation, up to a year). What we did not check, hence estimates: the exact billing of checkpointed data, and whether a step runs at least once or at most once after a crash (configurable per step as we understand it). The history lives in the Lambda service (its console and API), not in Step Functions; the state machine diagram, the ASL shared with the local engine and redrive go away.',
};

/** What bench:queue measured on a 2-core machine against DynamoDB Local over several runs (2026-12-07): the local runtime's ceiling, not AWS's. */
const LOCAL_JOINS_PER_SECOND = { measured: 'between about 48 and 82 joins/s, by run and phase', by: 'npm run bench:queue (1,000 buyers, 25 in flight) on a 2-core machine' };

const callsText = (calls: readonly DynamoDbCall[]) =>
  calls.map((call) => `${call.concurrentWithPrevious ? 'with it, ' : ''}${call.call} ${call.what}`).join('; ');
const callsRow = (request: string, calls: readonly DynamoDbCall[], extra = '') =>
  `| ${request} | ${callsText(calls)}${extra} | ${calls.reduce((sum, call) => sum + call.itemsRead, 0)} | ${calls.reduce((sum, call) => sum + call.itemsWritten, 0)} | ${roundTrips(calls)} |`;

const waitingRoomSection = (room: WaitingRoomBill): string[] => {
  const { waitSeconds, pollIntervalSeconds, preQueueShare, msPerDynamoDbCall, handlerMs } = WAITING_ROOM_ASSUMPTIONS;
  // What limits once the first fix is made: rows the same fix lifts drop out.
  const after = room.capacity.filter((row) => row.quota.raise !== room.limiting.quota.raise).sort((a, b) => a.joinsPerSecond - b.joinsPerSecond);
  return [
    '## The waiting room: joins and polls',
    '',
    'A buyer of a gated on-sale joins the line once (POST /concerts/{concertId}/queue) and polls its ticket',
    '(GET /concerts/{concertId}/queue/{ticketId}) until admitted; the figures above leave both out, since the run does',
    'not go through the line. These are not counted from a run but read from the code: the DynamoDB calls of',
    '`domain/waiting-room/join-line.ts` and `poll-ticket.ts` through their adapter (a test checks the list against the',
    `calls the adapter makes), the ${WAITING_ROOM_CALLS.poll.at(-1)?.itemsRead} items of the line read (the room state and LINE_SHARDS counters), and the`,
    `functions' memory from the template (join ${room.joinMemoryMb} MB, poll ${room.pollMemoryMb} MB). Every item is under 1 KB written and 4 KB read, reads`,
    'eventually consistent (half a read unit an item).',
    '',
    '| request | DynamoDB calls, in order | items read | items written | round trips |',
    '|---|---|---:|---:|---:|',
    callsRow('join after the start', WAITING_ROOM_CALLS.joinAfterStart),
    callsRow('join before the start', WAITING_ROOM_CALLS.joinBeforeStart, '; later the draw\'s UpdateItem of its position (the admitter)'),
    callsRow('poll', WAITING_ROOM_CALLS.poll),
    '',
    'Assumptions (named in `tools/cost/waiting-room.ts`):',
    `- a buyer waits ${waitSeconds / 60} minutes and polls every ${pollIntervalSeconds} s (the buyer page's slowest poll): **${room.pollsPerBuyer} polls a buyer**;`,
    `- ${preQueueShare * 100}% of the buyers join before the start (npm run onsale's default);`,
    `- billed duration: ${msPerDynamoDbCall} ms a DynamoDB round trip plus ${handlerMs} ms of the handler's own work, so ${Math.round(room.joinSeconds * 1_000)} ms a join`,
    `  and ${Math.round(room.pollSeconds * 1_000)} ms a poll: an estimate, the cost run measures no join.`,
    '',
    `### Dollars per 1M buyers who join and poll`,
    '',
    '| service | item | per buyer | price | $ per 1M buyers |',
    '|---|---|---:|---|---:|',
    ...room.lines.map((each) =>
      `| ${each.service} | ${each.item}${mark(each.estimate)} | ${count(each.perPurchase)} | ${priceText(each.price)}${mark(each.price.estimate)} | ${usd(each.usdPerMillion)} |`),
    `| **total** | | | | **${usd(room.usdPerMillionBuyers)}** |`,
    '',
    `${usd(room.usdPerMillionBuyers)} per ${BUYERS.toLocaleString('en-US')} buyers in line, on top of the purchases of those admitted; almost all of it`,
    'is the polls: the line read of each poll and its request. The admitter is scheduled (a fixed cost a minute, like the sweeper).',
    '',
    '### Capacity of joins under the default quotas',
    '',
    '| limit | default quota | per join | ceiling (joins/s) | to go past it |',
    '|---|---|---:|---:|---|',
    ...room.capacity.map((row) =>
      `| ${row === room.limiting ? `**${row.stage}**` : row.stage} | ${row.quota.value.toLocaleString('en-US')} ${row.quota.per}${mark(row.quota.estimate)} | ${count(row.perJoin)} ${row.perJoinUnit} | ${row === room.limiting ? `**${rate(row.joinsPerSecond)}**` : rate(row.joinsPerSecond)} | ${row.quota.raise} |`),
    '',
    `**${room.limiting.stage} limits first**, at ${rate(room.limiting.joinsPerSecond)} joins/s: ${room.limiting.quota.raise}.`,
    ...(after.length === 0 ? [] : [`Past it, in order: ${after.map((row) => `${row.stage} at ${rate(row.joinsPerSecond)}`).join(', then ')} joins/s.`]),
    'Joins before the start write no counter but a pre-queue index entry in one of as many buckets, so they meet the same',
    `ceiling. Polls share the HTTP API, Lambda and the line's items: buyers polling every ${pollIntervalSeconds} s read each of those items`,
    `once per ${pollIntervalSeconds} s, so **a line of ${rate(room.pollingBuyersPerLineItemLimit)} polling buyers alone** takes the reads one item's partition serves`,
    `and leaves no line read for joins, and on a table not pre-warmed ${rate(room.pollingBuyersPerNewTable)} polling buyers take all its reads:`,
    'the poll interval, not the join rate, sets how long a line can grow.',
    '',
    `Locally, ${LOCAL_JOINS_PER_SECOND.by} measures ${LOCAL_JOINS_PER_SECOND.measured}: the local runtime's own ceiling`,
    '(one machine, DynamoDB Local), not a figure of the AWS model above.',
    '',
  ];
};

export const renderCostMarkdown = (run: CostRun, facts: TemplateFacts, bill: Bill, waitingRoom: WaitingRoomBill): string => {
  const [standard] = bill.workflows;
  const estimates = Object.entries(PRICES).flatMap(([name, price]) => (price.estimate === undefined ? [] : [`- \`${name}\`: ${price.estimate}.`]));
  const memories = [...new Set(facts.functions.map((fn) => `${fn.memoryMb} MB ${fn.architecture}`))].join(', ');
  const { baseline } = bill;
  const failed = Object.entries(run.outcomes.failedByReason).map(([reason, n]) => `${reason} ${n}`).join(', ');
  return [
    '# Cost and capacity',
    '',
    '<!-- Generated by npm run cost from docs/cost-run.json, the synthesized template and tools/cost/prices.ts. Do not edit: npm run cost -- --check fails when it is stale. -->',
    '',
    `What ${PURCHASES.toLocaleString('en-US')} purchases cost on AWS, counted from a real run of the system rather than`,
    'from a model of it, and how many purchases a second each stage takes under the default quotas.',
    '',
    '## The run the numbers come from',
    '',
    `\`${run.run.command}\` on ${run.run.date} at commit \`${run.run.commit}\`: seed ${run.run.seed}, ${run.run.buyers} buyers for ${run.run.seats} seats,`,
    `${run.run.concurrency} requests in flight, on the in-memory local runtime (${(run.run.elapsedMs / 1000).toFixed(1)} s). Its counts are in`,
    '[cost-run.json](cost-run.json); every figure below is those counts divided by the accepted purchases, times the',
    `template's settings (functions: ${memories}; state machine ${facts.stateMachine.type}, log level ${facts.stateMachine.logLevel}${facts.stateMachine.includeExecutionData ? ' with execution data' : ''}), times the prices.`,
    '',
    `Outcome mix: ${run.outcomes.accepted} accepted (202), ${run.outcomes.confirmed} confirmed, ${run.outcomes.accepted - run.outcomes.confirmed} failed${failed ? ` (${failed})` : ''}.`,
    '',
    '| outcome | path (states entered) | executions | transitions each (retries incl.) | retries | execution log KB each |',
    '|---|---|---:|---:|---:|---:|',
    ...run.paths.map((path) =>
      `| ${path.outcome} | ${path.path.join(' → ')} | ${path.executions} | ${count(path.transitions / path.executions)} | ${path.retries} | ${(path.logBytes / path.executions / 1024).toFixed(1)} |`),
    '',
    '| function | invocations | billed ms each (measured) | memory |',
    '|---|---:|---:|---|',
    ...run.functions.map((fn) => {
      const fnFacts = facts.functions.find((each) => each.logicalId === fn.logicalId);
      return `| ${fn.logicalId}${fnFacts?.scheduled ? ' (scheduled, not per purchase)' : ''} | ${fn.invocations} | ${count(fn.billedMs / Math.max(1, fn.invocations))} | ${fnFacts ? `${fnFacts.memoryMb} MB ${fnFacts.architecture}` : 'not in the template'} |`;
    }),
    '',
    'How each count was taken: state transitions are the states entered plus the retries in each execution history',
    '(GetExecutionHistory); invocations and billed durations are the functions\' REPORT lines, rounded up to the',
    'millisecond; DynamoDB units are what DynamoDB Local reports consumed (ReturnConsumedCapacity), transactions',
    'doubled as DynamoDB bills them; events are the bus archive\'s; SQS requests are one SendMessage per accepted',
    'purchase and one ReceiveMessage and one DeleteMessageBatch per batch the starter got; the execution log is',
    'each history event as a CloudWatch Logs record, with a deployed execution ARN\'s length and 26 bytes of metadata.',
    'Durations are measured on a laptop against DynamoDB Local: expect them shorter on AWS.',
    '',
    '## Dollars per 1M purchases',
    '',
    `On the workflow as deployed, ${standard ? usd(standard.usdPerMillion) : '?'} per million purchases; the same counts on the alternatives:`,
    '',
    '| workflow | $ per 1M purchases | what changes in behaviour |',
    '|---|---:|---|',
    ...bill.workflows.map((each) => `| ${each.workflow} | ${usd(each.usdPerMillion)} | ${BEHAVIOUR[each.workflow]} |`),
    '',
    ...bill.workflows.flatMap((each) => [`### ${each.workflow}`, '', ...billTable(each), '']),
    `Express duration is each path's average execution time rounded up to ${EXPRESS_INCREMENT_MS} ms at the smallest memory step (64 MB).`,
    'Left out of every column: DynamoDB storage and backups (point-in-time recovery), X-Ray traces (tracing is on;',
    'at the default sampling of 1 a second and 5% it is a small share), CloudWatch Logs storage, the API access log,',
    'Lambda INIT billing of cold starts, the sweeper (scheduled: a fixed few cents a month) and data transfer.',
    '',
    '## An always-on container baseline',
    '',
    `A small EKS cluster sized for the same peak the serverless system reaches (${rate(baseline.peakPurchasesPerSecond)} purchases/s, its limiting`,
    `stage below): the run's functions used ${baseline.vcpuSecondsPerPurchase.toFixed(3)} vCPU-seconds a purchase (billed duration x memory / ${MB_PER_VCPU} MB,`,
    'Lambda\'s share of a vCPU, an upper bound since most of it waits on DynamoDB), so the peak needs',
    `${baseline.vcpusNeeded.toFixed(1)} vCPUs at ${TARGET_UTILISATION * 100}% utilisation: ${baseline.nodes} nodes of ${VCPUS_PER_NODE} vCPUs (at least ${MIN_NODES}, in two Availability Zones).`,
    '',
    '| item | price | a month |',
    '|---|---|---:|',
    `| EKS control plane | ${priceText(PRICES.eksControlPlaneHour)} | ${usd(HOURS_PER_MONTH * PRICES.eksControlPlaneHour.usd)} |`,
    `| ${baseline.nodes} nodes | ${priceText(PRICES.nodeHour)} | ${usd(HOURS_PER_MONTH * baseline.nodes * PRICES.nodeHour.usd)} |`,
    `| load balancer | ${priceText(PRICES.loadBalancerHour)} | ${usd(HOURS_PER_MONTH * PRICES.loadBalancerHour.usd)} |`,
    `| **total** (${HOURS_PER_MONTH} hours) | | **${usd(baseline.monthlyUsd)}** |`,
    '',
    'The cluster replaces the HTTP API, Lambda, Step Functions and its execution log; DynamoDB, SQS, EventBridge and the',
    `function logs cost the same either way. Serverless spends ${usd(baseline.replacedUsdPerPurchase * PURCHASES)} per million purchases on what the cluster`,
    `replaces, so **serverless stops being cheaper at about ${rate(baseline.breakEvenPurchasesPerMonth)} purchases a month**, if the cluster`,
    'really carried them: it would also need a workflow engine with the guarantees Step Functions gives (exactly-once',
    'states, history, redrive), its operation and its upgrades, which this comparison does not price.',
    '',
    '## Capacity under the default quotas',
    '',
    `Default quotas in ${QUOTA_REGION}, as documented on ${QUOTAS_CHECKED}; per purchase from the run.`,
    '',
    '| stage | default quota | per purchase | ceiling (purchases/s) | to go past it |',
    '|---|---|---:|---:|---|',
    ...bill.capacity.map((row) =>
      `| ${row === bill.limiting ? `**${row.stage}**` : row.stage} | ${row.quota.value.toLocaleString('en-US')} ${row.quota.per}${mark(row.quota.estimate)} | ${count(row.perPurchase)} ${row.perPurchaseUnit} | ${row === bill.limiting ? `**${rate(row.purchasesPerSecond)}**` : rate(row.purchasesPerSecond)} | ${row.quota.raise} |`),
    '',
    `**${bill.limiting.stage} limits first**, at ${rate(bill.limiting.purchasesPerSecond)} purchases/s: ${bill.limiting.quota.raise}.`,
    'SQS standard queues have no practical throughput limit, so the queue absorbs what the stages after it cannot take yet:',
    'a spike above the ceiling waits in the queue, it is not refused. The Lambda concurrency row counts every function',
    'against the one account quota; the queue consumer\'s maximum concurrency keeps StartExecution inside its quota by design.',
    '',
    ...waitingRoomSection(waitingRoom),
    '## Prices',
    '',
    '| price | value | region | source | checked |',
    '|---|---|---|---|---|',
    ...Object.entries(PRICES).map(([name, price]) => `| \`${name}\` | ${priceText(price)}${mark(price.estimate)} | ${price.region} | ${price.source} | ${price.checked} |`),
    '',
    ...(estimates.length > 0 ? ['\\* Estimates:', ...estimates, '- quantities marked as estimates are our mapping of the run onto a workflow it did not run on.', ''] : []),
  ].join('\n');
};

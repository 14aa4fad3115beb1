import type { OnsaleReport } from './run-onsale.ts';
import { renderWaitDistribution } from './wait-distribution.ts';
import type { WaitingRoomReport } from './waiting-room-run.ts';

const renderWaitingRoom = ({ settings, line, waits, admissionRuns }: WaitingRoomReport): string[] => [
  '',
  'Waiting room',
  `  on-sale             ${settings.admissionsPerRun} admissions a run, at most ${settings.maxActiveBuyers} live, each for ${settings.admissionTtlSeconds / 60} min`,
  `  line                ${line.preQueue} joined before the start (drawn), ${line.afterStart} after; admitted over ${admissionRuns} runs`,
  `  first come, first served after the start: ${
    line.overtaking.buyers === 0 ? 'nobody passed an earlier joiner' : `${line.overtaking.buyers} passed an earlier joiner, by at most ${line.overtaking.maxPositions} positions (uneven counter shards)`
  }`,
  '',
  'Waits, from joining the line to admission',
  ...(waits ? renderWaitDistribution(waits) : ['  nobody was admitted']),
  '',
  'The line',
  ...line.checks.map((check) => `  ${check.ok ? 'PASS' : 'FAIL'}  ${check.name}: ${check.detail}`),
];

/** The summary and the invariants `npm run onsale` prints. */
export const renderOnsaleReport = (report: OnsaleReport): string => {
  const { mix, rejected } = report;
  const failedByReason = Object.entries(mix.failedByReason);
  const seconds = (ms: number) => (ms / 1000).toFixed(1);
  return [
    '',
    'On-sale summary',
    `  buyers              ${report.buyers}`,
    `  accepted (202)      ${report.accepted}${rejected.size ? `  (rejected: ${[...rejected].map(([status, n]) => `${n} x ${status}`).join(', ')})` : ''}`,
    `  confirmed           ${mix.confirmed}`,
    `  failed              ${report.accepted - mix.confirmed}${failedByReason.length ? `  (${failedByReason.map(([reason, n]) => `${reason} ${n}`).join(', ')})` : ''}`,
    `  seats sold          ${report.seatsSold} of ${report.capacity}`,
    `  elapsed             ${seconds(report.elapsedMs)} s (all accepted after ${seconds(report.acceptedMs)} s)`,
    `  throughput          ${(report.accepted / (report.elapsedMs / 1000)).toFixed(1)} purchases/s`,
    ...(report.dynamoDbWrites !== undefined
      ? [`  DynamoDB writes     ${report.dynamoDbWrites} item writes by the functions, ${(report.dynamoDbWrites / Math.max(1, report.accepted)).toFixed(1)} per purchase`]
      : []),
    `  peak memory         ${(report.peakMemoryBytes / 1024 / 1024).toFixed(0)} MiB (this process, its workers and the local services)`,
    ...(report.waitingRoom ? renderWaitingRoom(report.waitingRoom) : []),
    '',
    'Invariants',
    ...report.invariants.map((r) => `  ${r.ok ? 'PASS' : 'FAIL'}  ${r.invariant}. ${r.name}: ${r.detail}`),
    '',
    '',
  ].join('\n');
};

/**
 * Lambda invocations and their durations, read from the REPORT line the
 * runtime writes after each one, as Lambda does in CloudWatch Logs. Billed
 * duration is rounded up to the millisecond, as Lambda bills it.
 */

export interface FunctionCounts {
  readonly logicalId: string;
  readonly invocations: number;
  readonly billedMs: number;
  /** Bytes the function's log group receives: its own lines and the platform's. */
  readonly logBytes: number;
}

export interface LogLine {
  readonly functionName: string;
  readonly message: string;
}

const REPORT = /^REPORT RequestId: \S+\tDuration: ([\d.]+) ms/;

export const countFunctionLogs = (lines: Iterable<LogLine>): FunctionCounts[] => {
  const counts = new Map<string, { invocations: number; billedMs: number; logBytes: number }>();
  for (const { functionName, message } of lines) {
    const entry = counts.get(functionName) ?? { invocations: 0, billedMs: 0, logBytes: 0 };
    // CloudWatch Logs bills each event's bytes plus 26 bytes of metadata.
    entry.logBytes += Buffer.byteLength(message) + CLOUDWATCH_EVENT_OVERHEAD_BYTES;
    const duration = REPORT.exec(message)?.[1];
    if (duration !== undefined) {
      entry.invocations += 1;
      entry.billedMs += Math.ceil(Number(duration));
    }
    counts.set(functionName, entry);
  }
  return [...counts].map(([logicalId, entry]) => ({ logicalId, ...entry })).sort((a, b) => a.logicalId.localeCompare(b.logicalId));
};

/** CloudWatch Logs' ingestion counts 26 bytes of metadata per log event. */
export const CLOUDWATCH_EVENT_OVERHEAD_BYTES = 26;

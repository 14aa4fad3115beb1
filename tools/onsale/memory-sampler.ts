import { readdirSync, readFileSync } from 'node:fs';

/**
 * Peak resident memory of this process and every process it started
 * (DynamoDB Local's JVM, fauxqs): the footprint of the whole local stack.
 * Reads /proc, so it reports nothing on systems without it.
 */

const KIB = 1024;

const parentOf = (pid: number): number | undefined => {
  try {
    // The command name may hold spaces and parentheses: the fields after the last ')' are fixed.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
};

const residentBytes = (pid: number): number => {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) * KIB : 0;
  } catch {
    return 0;
  }
};

const processTree = (root: number): number[] => {
  let pids: number[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return [root];
  }
  const children = new Map<number, number[]>();
  for (const pid of pids) {
    const parent = parentOf(pid);
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const tree: number[] = [];
  const visit = (pid: number) => {
    tree.push(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return tree;
};

export interface MemorySampler {
  /** Highest total seen so far, in bytes. */
  peakBytes(): number;
  stop(): void;
}

export const startMemorySampler = (intervalMs = 500, root = process.pid): MemorySampler => {
  let peak = 0;
  const sample = () => {
    const total = processTree(root).reduce((sum, pid) => sum + residentBytes(pid), 0);
    peak = Math.max(peak, total);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    peakBytes: () => peak,
    stop: () => {
      sample();
      clearInterval(timer);
    },
  };
};

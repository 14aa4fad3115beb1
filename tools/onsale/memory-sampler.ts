import { readdirSync, readFileSync } from 'node:fs';

/**
 * Peak resident memory of this process and every process it started
 * (DynamoDB Local's JVM, fauxqs): the footprint of the whole local stack.
 * Reads /proc, so it reports nothing on systems without it.
 */

const KIB = 1024;

const residentBytes = (pid: number): number => {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) * KIB : 0;
  } catch {
    return 0;
  }
};

/**
 * The processes a process started, from the `children` file of each of its
 * threads: a few small reads where scanning /proc read the status of every
 * process on the machine, twice a second, on the runtime's main thread.
 */
const childrenOf = (pid: number): number[] => {
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return threads.flatMap((thread) => {
    try {
      return readFileSync(`/proc/${pid}/task/${thread}/children`, 'utf8').split(' ').filter((field) => field.trim() !== '').map(Number);
    } catch {
      return [];
    }
  });
};

const processTree = (root: number): number[] => {
  const tree: number[] = [];
  const visit = (pid: number) => {
    tree.push(pid);
    for (const child of childrenOf(pid)) visit(child);
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

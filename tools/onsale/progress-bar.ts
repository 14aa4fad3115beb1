/** One line of progress, redrawn in place on a terminal and printed every few seconds otherwise. */

const WIDTH = 30;

export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly confirmed: number;
  readonly failed: number;
  readonly elapsedMs: number;
}

const renderProgress = ({ done, total, confirmed, failed, elapsedMs }: Progress): string => {
  const ratio = total === 0 ? 1 : done / total;
  const filled = Math.round(ratio * WIDTH);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}`;
  const percent = `${Math.floor(ratio * 100)}`.padStart(3);
  return `[${bar}] ${percent}%  ${done}/${total} terminal  (${confirmed} confirmed, ${failed} failed)  ${(elapsedMs / 1000).toFixed(1)} s`;
};

export const createProgressWriter = (stream: NodeJS.WriteStream, everyMs = 5_000) => {
  let lastPrinted = 0;
  return {
    update(progress: Progress) {
      const line = renderProgress(progress);
      if (stream.isTTY) {
        stream.write(`\r${line}`);
      } else if (progress.elapsedMs - lastPrinted >= everyMs || progress.done === progress.total) {
        lastPrinted = progress.elapsedMs;
        stream.write(`${line}\n`);
      }
    },
    finish() {
      if (stream.isTTY) stream.write('\n');
    },
  };
};

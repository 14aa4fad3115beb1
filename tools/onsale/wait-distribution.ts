/**
 * How long buyers waited in the line, from their join to their admission:
 * the figures a product owner asks about (the median buyer, the unlucky
 * one in a hundred) and a histogram that shows the shape at a glance.
 */

interface HistogramBin {
  readonly fromMs: number;
  readonly toMs: number;
  readonly count: number;
}

export interface WaitDistribution {
  readonly count: number;
  readonly minMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly histogram: readonly HistogramBin[];
}

const DEFAULT_BINS = 10;
const BAR_WIDTH = 40;

/** Nearest rank: a wait some buyer actually had, never one interpolated between two. */
const percentile = (sorted: readonly number[], p: number): number => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

/** Undefined for no waits: there is no distribution to show, and a row of zeros would read as instant admissions. */
export const waitDistributionOf = (waitsMs: readonly number[], bins = DEFAULT_BINS): WaitDistribution | undefined => {
  if (waitsMs.length === 0) return undefined;
  const sorted = [...waitsMs].sort((a, b) => a - b);
  const minMs = sorted[0] ?? 0;
  const maxMs = sorted.at(-1) ?? 0;
  // Equal waits make one bin: a width of zero would divide by zero.
  const binCount = maxMs === minMs ? 1 : bins;
  const width = (maxMs - minMs) / binCount;
  const counts = new Array<number>(binCount).fill(0);
  for (const wait of sorted) {
    // The longest wait closes the last bin rather than opening one of its own.
    const bin = width === 0 ? 0 : Math.min(binCount - 1, Math.floor((wait - minMs) / width));
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  return {
    count: sorted.length,
    minMs,
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    maxMs,
    histogram: counts.map((count, bin) => ({ fromMs: minMs + bin * width, toMs: bin === binCount - 1 ? maxMs : minMs + (bin + 1) * width, count })),
  };
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The figures on one line, then one bar per bin scaled to the fullest. */
export const renderWaitDistribution = (distribution: WaitDistribution): string[] => {
  const fullest = Math.max(...distribution.histogram.map((bin) => bin.count));
  const label = (bin: HistogramBin) => `${(bin.fromMs / 1000).toFixed(1)}-${(bin.toMs / 1000).toFixed(1)} s`;
  const labelWidth = Math.max(...distribution.histogram.map((bin) => label(bin).length));
  const countWidth = String(fullest).length;
  return [
    `  min ${seconds(distribution.minMs)}  p50 ${seconds(distribution.p50Ms)}  p90 ${seconds(distribution.p90Ms)}  p99 ${seconds(distribution.p99Ms)}  max ${seconds(distribution.maxMs)}  (${distribution.count} buyers)`,
    ...distribution.histogram.map((bin) => {
      // A bin with anyone in it shows at least one mark, so no buyer disappears from the picture.
      const bar = bin.count === 0 ? '' : '#'.repeat(Math.max(1, Math.round((bin.count / fullest) * BAR_WIDTH)));
      return `  ${label(bin).padStart(labelWidth)} ${String(bin.count).padStart(countWidth)} ${bar}`;
    }),
  ];
};

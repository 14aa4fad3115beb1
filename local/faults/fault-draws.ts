import { noFaults, type ChaosSettings, type FaultKind } from './chaos-settings.ts';
import { mulberry32, streamSeed } from './seeded-random.ts';

/**
 * The seeded decisions of the chaos settings. Each kind of fault draws from
 * a stream of its own, so the traffic of one boundary never shifts the
 * decisions of another: with the same seed, the n-th opportunity of a kind
 * gets the same decision (and the same details) in every run, whatever the
 * interleaving of the other boundaries.
 */
export class FaultDraws {
  private readonly streams = new Map<FaultKind, () => number>();
  private readonly injected = noFaults();

  constructor(private readonly settings: Pick<ChaosSettings, 'seed' | 'rates'>) {}

  /**
   * One opportunity for each of `kinds` (every stream advances once, so the
   * others keep their sequence); the first kind that fires is returned and
   * counted as injected. Kinds without a rate never fire and draw nothing.
   */
  draw(...kinds: readonly FaultKind[]): FaultKind | undefined {
    let chosen: FaultKind | undefined;
    for (const kind of kinds) {
      const rate = this.settings.rates[kind];
      if (rate === undefined) continue;
      const fires = this.stream(kind)() < rate;
      chosen ??= fires ? kind : undefined;
    }
    if (chosen) this.injected[chosen]++;
    return chosen;
  }

  /** A further number in [0, 1) from the kind's stream: the details of a fault that fired (which entry, how long, before or after). */
  detail(kind: FaultKind): number {
    return this.stream(kind)();
  }

  /** Faults injected so far, by kind. */
  counts(): Record<FaultKind, number> {
    return { ...this.injected };
  }

  private stream(kind: FaultKind): () => number {
    let stream = this.streams.get(kind);
    if (!stream) {
      stream = mulberry32(streamSeed(this.settings.seed, kind));
      this.streams.set(kind, stream);
    }
    return stream;
  }
}

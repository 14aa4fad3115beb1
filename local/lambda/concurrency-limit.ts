/**
 * At most `limit` holders at once; the others wait in arrival order. The
 * local runtime queues rather than throttles: on one machine a waiting
 * caller (the state machine, the queue poller, the API) is the useful
 * behaviour, and the event source mapping bounds its own concurrency.
 */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  /** Resolves with a release function once a slot is free. */
  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // Hand the slot straight to the next waiter so no newcomer can overtake it.
      if (next) next();
      else this.active--;
    };
  }
}

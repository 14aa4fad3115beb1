import { setFlagsFromString } from 'node:v8';

/**
 * How far a V8 heap of the local stack may grow past what it keeps alive
 * before it is collected: 50 %. The whole stack is one Node process (the
 * engine, the bus, the proxies and one isolate per execution environment),
 * and V8 sizes its collections for a machine's memory, not for a dozen
 * isolates sharing one: on 24 GiB it let the runtime's main heap reach 350
 * MB around 100 MB alive. With this setting the 10,000-buyer on-sale of
 * `npm run bench -- --only large` peaked at 1,365 MiB instead of 1,643 MiB,
 * at the same purchases per second (README, "Memory of a long on-sale").
 *
 * A process-wide V8 setting that V8 reads at each collection, so it applies
 * from the next one on, to the heaps that already exist too. The heap limits
 * (each function's MemorySize) stay as they are: a handler that outgrows its
 * memory still fails as on Lambda.
 */
const HEAP_GROWING_PERCENT = 50;

export const HEAP_GROWING_FLAG = `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;

/** Applies HEAP_GROWING_FLAG to this process. */
export const limitHeapGrowth = (): void => setFlagsFromString(HEAP_GROWING_FLAG);

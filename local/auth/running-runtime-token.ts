import { existsSync } from 'node:fs';
import { dataDirLayout, DEFAULT_DATA_DIR } from '../data-dir.ts';
import { isProcessAlive } from '../process-alive.ts';
import { developmentTokenResponseSchema } from './development-token-endpoint.ts';
import { mintDevelopmentToken } from './development-token.ts';
import { DEFAULT_REGISTRY_DIR, liveInMemoryRuntimes, type Registration } from './in-memory-registry.ts';

/**
 * Which local runtime a token is for, and how to get it: an explicit data
 * folder signs with its key (running or not); otherwise a running in-memory
 * runtime mints it over its registered endpoint; otherwise the default data
 * folder's key, as `npm start` left it.
 */

/** No runtime can mint the token asked for; the message says which and what to do. */
export class NoRunningRuntimeError extends Error {
  override readonly name = 'NoRunningRuntimeError';
}

const SECONDS_PER_HOUR = 3_600;

export interface LocalTokenRequest {
  readonly buyerId: string;
  readonly hours: number;
  /** Sign with this folder's key, ignoring in-memory runtimes. */
  readonly dataDir?: string;
  /** Among several in-memory runtimes, the one of this process. */
  readonly pid?: number;
}

export interface LocalTokenSources {
  /** @default DEFAULT_REGISTRY_DIR */
  readonly registryDir?: string;
  /** @default DEFAULT_DATA_DIR */
  readonly defaultDataDir?: string;
  /** @default isProcessAlive */
  readonly processAlive?: (pid: number) => boolean;
}

const describeRuntimes = (runtimes: readonly Registration[]) => runtimes.map((r) => `${r.pid} (started ${r.startedAt})`).join(', ');

/** The in-memory runtime to ask, or undefined when none runs (and no --pid asked for one). */
const chooseInMemoryRuntime = (request: LocalTokenRequest, sources: LocalTokenSources): Registration | undefined => {
  const live = liveInMemoryRuntimes(sources.processAlive ?? isProcessAlive, sources.registryDir ?? DEFAULT_REGISTRY_DIR);
  if (request.pid !== undefined) {
    const ofPid = live.filter((runtime) => runtime.pid === request.pid);
    if (ofPid.length === 0) throw new NoRunningRuntimeError(`no in-memory runtime of process ${request.pid} is running${live.length > 0 ? ` (running: ${describeRuntimes(live)})` : ''}`);
    return ofPid[0];
  }
  if (live.length > 1) throw new NoRunningRuntimeError(`${live.length} in-memory runtimes are running, processes ${describeRuntimes(live)}: choose one with --pid`);
  return live[0];
};

/** POSTs to the runtime's minting endpoint with the secret of its registration. */
const mintFromInMemoryRuntime = async (runtime: Registration, buyerId: string, hours: number): Promise<string> => {
  let response: Response;
  try {
    response = await fetch(runtime.mintUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${runtime.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sub: buyerId, expiresInSeconds: Math.round(hours * SECONDS_PER_HOUR) }),
    });
  } catch (error) {
    throw new NoRunningRuntimeError(`the in-memory runtime of process ${runtime.pid} does not answer at ${runtime.mintUrl}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const body: unknown = await response.json().catch(() => undefined);
  const parsed = developmentTokenResponseSchema.safeParse(body);
  if (!response.ok || !parsed.success) {
    const message = typeof body === 'object' && body !== null && 'message' in body ? String(body.message) : `HTTP ${response.status}`;
    throw new NoRunningRuntimeError(`the in-memory runtime of process ${runtime.pid} refused to mint a token: ${message}`);
  }
  return parsed.data.token;
};

export const mintLocalToken = async (request: LocalTokenRequest, sources: LocalTokenSources = {}): Promise<string> => {
  if (request.dataDir !== undefined) {
    return mintDevelopmentToken({ authDir: dataDirLayout(request.dataDir).auth, buyerId: request.buyerId, hours: request.hours });
  }
  const inMemory = chooseInMemoryRuntime(request, sources);
  if (inMemory) return mintFromInMemoryRuntime(inMemory, request.buyerId, request.hours);
  const { auth } = dataDirLayout(sources.defaultDataDir ?? DEFAULT_DATA_DIR);
  if (!existsSync(auth)) {
    throw new NoRunningRuntimeError(`no local runtime to mint a token for: no in-memory runtime is running and ${auth} does not exist; start one with npm start (or npm start -- --in-memory)`);
  }
  return mintDevelopmentToken({ authDir: auth, buyerId: request.buyerId, hours: request.hours });
};

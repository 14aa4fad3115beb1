import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { LocalRuntimePorts } from './runtime.ts';

/**
 * Free loopback ports for services that must know every port up front (the
 * template resolver does), picked before they listen.
 *
 * A port the OS hands out for port 0 comes from the ephemeral range, which
 * every outgoing connection draws from too: on a busy machine such a port is
 * often taken by some client socket between the pick and the service's
 * listen. So ports are picked at random below the ephemeral range, where only
 * listeners live, and checked by listening on them.
 */

/** Below this are well-known and commonly configured ports. */
const LOWEST_PORT = 10_000;
/** IANA's dynamic range starts here (macOS and Windows use it); Linux says where its own starts. */
const IANA_EPHEMERAL_START = 49_152;
const LINUX_EPHEMERAL_RANGE_FILE = '/proc/sys/net/ipv4/ip_local_port_range';
const RANDOM_ATTEMPTS = 50;

const ephemeralRangeStart = (): number => {
  try {
    const start = Number(readFileSync(LINUX_EPHEMERAL_RANGE_FILE, 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(start) && start > LOWEST_PORT ? start : IANA_EPHEMERAL_START;
  } catch {
    return IANA_EPHEMERAL_START;
  }
};

/** Listens on `port` (0: any) for a moment; resolves with the port taken, or undefined when it is not free. */
const tryPort = (port: number): Promise<number | undefined> =>
  new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', () => resolvePort(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const taken = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => resolvePort(taken));
    });
  });

export const findFreePort = async (): Promise<number> => {
  const highest = ephemeralRangeStart() - 1;
  for (let attempt = 0; attempt < RANDOM_ATTEMPTS; attempt++) {
    const port = await tryPort(LOWEST_PORT + Math.floor(Math.random() * (highest - LOWEST_PORT + 1)));
    if (port !== undefined) return port;
  }
  // Every random pick was taken: let the OS choose, ephemeral or not.
  const port = await tryPort(0);
  if (port === undefined) throw new Error('no free port');
  return port;
};

/** A free port for every service of the local runtime: what a runtime in a child process is started on, and started again on after a kill. */
export const findFreeRuntimePorts = async (): Promise<LocalRuntimePorts> => ({
  api: await findFreePort(),
  auth: await findFreePort(),
  dynamodb: await findFreePort(),
  sqs: await findFreePort(),
  stepfunctions: await findFreePort(),
  eventbridge: await findFreePort(),
});

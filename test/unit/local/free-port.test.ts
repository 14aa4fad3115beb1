import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { findFreePort } from '#local/free-port';

const ephemeralStart = () => {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return 49_152;
  }
};

const listenOn = (port: number) =>
  new Promise<void>((resolveListen, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => server.close(() => resolveListen()));
  });

describe('findFreePort', () => {
  it('picks a port below the ephemeral range, where client sockets cannot take it', async () => {
    // Act
    const ports = await Promise.all([1, 2, 3, 4, 5].map(() => findFreePort()));

    // Assess
    for (const port of ports) expect(port).toBeGreaterThanOrEqual(10_000);
    for (const port of ports) expect(port).toBeLessThan(ephemeralStart());
  });

  it('picks a port a server can listen on', async () => {
    // Act
    const port = await findFreePort();

    // Assess
    await expect(listenOn(port)).resolves.toBeUndefined();
  });
});

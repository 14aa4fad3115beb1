import type { Server } from 'node:http';

/** Local services listen on the loopback interface only: nothing here is meant for the network. */
export const LOOPBACK_HOST = '127.0.0.1';

/** A service could not take its port; the message names both so the user knows what to stop or change. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(
    readonly service: string,
    readonly port: number,
    options?: { cause?: unknown },
  ) {
    super(`${service} cannot listen on ${LOOPBACK_HOST}:${port}: the port is already in use. Stop what uses it or choose another port.`, options);
  }
}

export const isAddressInUse = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'EADDRINUSE';

/** Listens on 127.0.0.1 (port 0 = any free port) and resolves with the port taken. */
export const listenOnLoopback = (server: Server, port: number, service: string): Promise<number> =>
  new Promise((resolveListen, reject) => {
    const onError = (error: unknown) => reject(isAddressInUse(error) ? new PortInUseError(service, port, { cause: error }) : error);
    server.once('error', onError);
    server.listen({ host: LOOPBACK_HOST, port }, () => {
      server.removeListener('error', onError);
      const address = server.address();
      resolveListen(typeof address === 'object' && address ? address.port : port);
    });
  });

/** Closes the server, dropping idle keep-alive connections so `stop()` does not wait for clients to hang up. */
export const closeServer = (server: Server): Promise<void> =>
  new Promise((resolveClose, reject) => {
    if (!server.listening) {
      resolveClose();
      return;
    }
    server.close((error) => (error ? reject(error) : resolveClose()));
    server.closeIdleConnections();
  });

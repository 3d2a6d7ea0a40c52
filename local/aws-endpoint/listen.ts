/**
 * Starting and stopping the local stack's loopback listeners, one way for
 * every server (the shared AWS endpoint, the HTTP API, test harnesses).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on `host:port` (port 0 picks a free one); resolves with the bound port, rejects on a bind error. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Closes `server`, dropping kept-alive connections (SDK clients hold them
 * open, and `close()` alone would wait for them); safe on a server already closed.
 */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * The dashboard's HTTP server on 127.0.0.1: loopback only, so nothing on the
 * network can reach a server that signs with the user's credentials.
 */
import { once } from 'node:events';
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../errors.js';

/** A running dashboard server. */
export interface DashboardServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The address it listens on, as the socket reports it. */
  readonly address: AddressInfo;
  /** Stops listening and drops open connections (a browser keeps its own alive). */
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Listens on 127.0.0.1:`port` (0 picks a free port); a handler that throws
 * answers 500 and tells `onFault`, as does a fault of the listening socket
 * (out of file descriptors, say), which would otherwise end the process.
 * @param create makes the HTTP server (`createServer`; a test keeps hold of it)
 * @throws UsageError when the port cannot be had (in use, or privileged)
 */
export async function startDashboardServer(
  port: number,
  handler: Handler,
  onFault: (error: unknown) => void,
  create: (listener: RequestListener) => Server = createServer,
): Promise<DashboardServer> {
  const server = create((req, res) => {
    handler(req, res).catch((error: unknown) => {
      // A fault of the proxy itself: the page gets a 500, the terminal the reason.
      onFault(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Internal error in the dashboard proxy.' }));
    });
  });
  server.listen(port, '127.0.0.1');
  try {
    await once(server, 'listening');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'EADDRINUSE'
        ? `port ${port} on 127.0.0.1 is in use: choose another with --port (0 picks a free one)`
        : `cannot listen on 127.0.0.1:${port} (${code ?? String(error)}): choose another with --port`,
    );
  }
  server.on('error', onFault);
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    address,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

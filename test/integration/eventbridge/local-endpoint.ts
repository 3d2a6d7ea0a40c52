/**
 * Serves emulated services on the shared AWS endpoint (127.0.0.1, a free
 * port) for a test, with the settings an SDK client needs to reach them.
 */
import type { AddressInfo } from 'node:net';
import { type AwsService, createAwsEndpoint } from '../../../local/aws-endpoint/router.js';

export interface LocalEndpoint {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Client settings: endpoint, region, dummy credentials, no SDK retries (tests see every answer). */
  clientConfig: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
    maxAttempts: number;
  };
  /** GETs `path` (an admin route) and answers its status and parsed JSON body. */
  getJson(path: string): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startLocalEndpoint(
  services: readonly AwsService[],
  region = 'us-east-1',
): Promise<LocalEndpoint> {
  const server = createAwsEndpoint(services);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    clientConfig: {
      endpoint: url,
      region,
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
      maxAttempts: 1,
    },
    getJson: async (path) => {
      const res = await fetch(`${url}${path}`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    close: async () => {
      const closed = new Promise<void>((resolve, reject) =>
        server.close((err) => (err ? reject(err) : resolve())),
      );
      server.closeAllConnections();
      await closed;
    },
  };
}

/**
 * `fleetwave dashboard` once its arguments are read: checks the
 * credentials, starts the server, says where it is, and runs until Ctrl-C.
 */
import { dashboardAssets } from '../../dashboard/serve/assets.js';
import { chainCredentials, sigV4Fetch } from '../api/sigv4-fetch.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import type { Output } from '../output/output.js';
import { cliVersion } from '../version.js';
import { dashboardProxy } from './proxy.js';
import { startDashboardServer } from './server.js';
import { newSessionToken, sessionUrl } from './session-token.js';

export interface DashboardSettings {
  /** The deployed API's base URL, with no trailing slash. */
  readonly apiUrl: string;
  readonly port: number;
  readonly region: string;
  /** The project root: the dashboard's files are under `dist/dashboard/` in it. */
  readonly root: string;
}

/** Serves the dashboard until Ctrl-C; resolves with the exit code. */
export async function runDashboard(settings: DashboardSettings, io: CliIo, out: Output): Promise<number> {
  const credentials = chainCredentials('the dashboard proxy');
  // Asked now, so missing credentials stop the command here rather than fail each of the page's requests.
  await credentials();
  const token = newSessionToken();
  const proxy = dashboardProxy({
    apiUrl: settings.apiUrl,
    fetch: sigV4Fetch(io.fetch, { region: settings.region, credentials }),
    assets: dashboardAssets({ root: settings.root }),
    userAgent: `fleetwave-dashboard/${cliVersion}`,
    token,
  });
  const server = await startDashboardServer(settings.port, proxy, (error) =>
    io.stderr.write(`fleetwave dashboard: ${error instanceof Error ? error.message : String(error)}\n`),
  );
  // The token is the key to the proxy: only whoever sees this output can open the dashboard.
  const page = sessionUrl(server.url, token);
  out.result({ url: page, apiUrl: settings.apiUrl, region: settings.region }, () => [
    `Dashboard of ${settings.apiUrl} (signed for ${settings.region}): ${page}`,
    'Press Ctrl-C to stop.',
  ]);
  await new Promise<void>((resolve) => {
    const stop = io.onInterrupt(() => {
      stop();
      resolve();
    });
  });
  await server.close();
  return ExitCode.OK;
}

/** `fleetwave dashboard`: the dashboard on 127.0.0.1, in front of a deployed API. */
import { normaliseApiUrl } from '../api/client.js';
import { signingRegion } from '../api/sigv4-fetch.js';
import { integerValue } from '../args/values.js';
import { UsageError } from '../errors.js';
import { projectRoot } from '../project-root.js';
import type { Command } from './command.js';

const defaultPort = 3100;

export const dashboardCommand: Command = {
  path: ['dashboard'],
  summary: 'serve the dashboard on 127.0.0.1 for a deployed API, signing its calls with SigV4',
  description: [
    'Serves the dashboard at http://127.0.0.1:3100/ and forwards its API calls to --api-url, each signed with SigV4 (service execute-api) from your AWS credentials (the SDK default chain: environment, profiles, SSO): the same IAM that guards the CLI guards the page. It runs until Ctrl-C.',
    'Open the URL it prints (http://127.0.0.1:3100/?token=...): the token, new at each run, sets a cookie in that browser, and nothing is signed for a request without it, so other users of this machine cannot use it (401).',
    'Only this machine can reach it, and a page of another site cannot make it sign: requests with another Origin, a cross-site Sec-Fetch-Site or a Host other than 127.0.0.1/localhost on its port are refused with 403. The local stack needs none of this: it serves the dashboard on its own API port.',
    'FLEETWAVE_DASHBOARD_ROOT names another folder whose dist/dashboard/ holds the built dashboard.',
  ],
  options: [
    {
      name: 'port',
      type: 'string',
      valueName: 'N',
      description: `port on 127.0.0.1 (default ${defaultPort}; 0 picks a free one)`,
    },
    {
      name: 'region',
      type: 'string',
      valueName: 'REGION',
      description: 'region to sign for (default: the one in the execute-api URL, else AWS_REGION)',
    },
  ],
  examples: [
    {
      command: 'fleetwave dashboard --api-url https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com',
      comment: 'the dashboard of a deployed stack: open the http://127.0.0.1:3100/?token=... it prints',
    },
    {
      command:
        'AWS_PROFILE=release fleetwave dashboard --api-url https://api.example.com --region eu-west-1 --port 8080',
      comment: 'a custom domain, signed with a named profile, on port 8080',
    },
  ],
  async run({ args, io, out }) {
    const raw = args.string('api-url') ?? (io.env.FLEETWAVE_API_URL || undefined);
    if (raw === undefined)
      throw new UsageError(
        'give the deployed API with --api-url (or FLEETWAVE_API_URL); the local stack serves the dashboard itself, at http://127.0.0.1:3000/',
      );
    if (args.has('token') || args.flag('sigv4'))
      throw new UsageError('fleetwave dashboard always signs with SigV4: --token and --sigv4 do not apply');
    const apiUrl = normaliseApiUrl(raw);
    // Each page request's path and query are appended to the base: a query or fragment in it would swallow them.
    if (/[?#]/.test(apiUrl))
      throw new UsageError(
        `--api-url must be the API's base URL, with no query or fragment (got '${raw}'); e.g. https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod`,
      );
    const port = integerValue('port', args.string('port') ?? String(defaultPort), 0, 65_535);
    const region = args.string('region') ?? signingRegion(apiUrl, io.env, 'the dashboard proxy');
    const root = io.env.FLEETWAVE_DASHBOARD_ROOT || projectRoot;
    // Loaded on demand: the server, the signer and the file server cost every other command's start nothing.
    const { runDashboard } = await import('../dashboard/run.js');
    return runDashboard({ apiUrl, port, region, root }, io, out);
  },
};

/**
 * `fleetwave dashboard` as a person runs it: the executable (package.json
 * `bin`, running the bundle) as its own process, in front of a local stack
 * started with `FLEETWAVE_LOCAL_AUTH=sigv4`, which checks every signature as
 * API Gateway's `AWS_IAM` authoriser does. The dashboard's files come from a
 * stand-in `dist/dashboard/` in a temporary root (FLEETWAVE_DASHBOARD_ROOT),
 * so the test does not depend on the dashboard's build. Nothing here
 * reaches AWS: credentials come from the environment, and the chain stops there.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliBundle, cliBundlePath } from '../../build/cli-bundle.mjs';
import { ExitCode } from '../../cli/exit-codes.js';
import { useLocalStack } from '../support/local-stack.js';
import { rawRequest } from '../support/raw-http.js';
import { useWorkflowStack } from '../support/workflow.js';
import { readDoc, shBlockOf } from './doc-blocks.js';
import { releaseRequest } from './releases-support.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
const bin = join(root, pkg.bin.fleetwave as string);
const template = 'fw-dashboard';
const indexHtml = '<!doctype html><title>fleetwave</title><p>the dashboard stand-in</p>';

/** The key pair the stack checks signatures against: the one it was started from, else the local pair. */
const stackKey =
  process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY
    ? { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY }
    : { accessKeyId: 'AKIDLOCALFLEETWAVE', secretAccessKey: 'local-secret' };

/** Only the variables a user would set: the chain must find the environment's keys and look no further. */
function userEnv(extra: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NO_COLOR: '1',
    AWS_CONFIG_FILE: '/nonexistent/fleetwave-test-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/fleetwave-test-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

/** A running `fleetwave dashboard` process. */
interface Dashboard {
  /** `http://127.0.0.1:<port>`, as it printed it. */
  readonly url: string;
  /** The whole URL it printed, `<url>/?token=...`. */
  readonly printed: string;
  /** The `Cookie` header of a browser that opened the printed URL. */
  readonly cookie: string;
  readonly child: ChildProcess;
  /** Presses Ctrl-C and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** The printed URL's server and token: the end of the text line, or the `url` field with --json. */
const printedUrl = /(?:: |"url": ")((http:\/\/127\.0\.0\.1:\d+)\/\?token=[\w-]{43})(?:\n|")/;

/** Opens the printed URL as a browser would, and returns the cookie it was given for it. */
async function signIn(printed: string): Promise<string> {
  const answer = await rawRequest(printed, { headers: { 'sec-fetch-site': 'none' } });
  expect(answer.status).toBe(303);
  expect(answer.headers.location).toBe('/');
  const [cookie] = (answer.headers['set-cookie'] as string[] | undefined) ?? [];
  expect(cookie).toBe(
    `fleetwave-dashboard=${new URL(printed).searchParams.get('token')}; HttpOnly; SameSite=Strict; Path=/`,
  );
  return (cookie as string).split(';')[0] as string;
}

/** Starts `fleetwave dashboard --port 0 ...args`, waits for the line with its URL, and opens it. */
async function startDashboard(args: string[], env: Record<string, string>): Promise<Dashboard> {
  const child = spawn(process.execPath, [bin, 'dashboard', '--port', '0', ...args], {
    cwd: root,
    env: userEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [printed, url] = await new Promise<[string, string]>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = printedUrl.exec(stdout);
      if (match) resolve([match[1] as string, match[2] as string]);
    });
    child.once('exit', (code) => reject(new Error(`fleetwave dashboard exited (${code}): ${stderr}`)));
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    url,
    printed,
    cookie: await signIn(printed),
    child,
    stop: () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}

/** Runs the executable to its end. */
function fleetwave(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: root, env: userEnv(env) }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const json = (body: string) => JSON.parse(body) as Record<string, unknown>;

describe('fleetwave dashboard in front of a local stack with FLEETWAVE_LOCAL_AUTH=sigv4', () => {
  let before: string | undefined;
  let dashboardRoot: string;
  // Registered before the stack's own beforeAll: the stack starts with SigV4 asked for, as `npm start` would.
  beforeAll(async () => {
    before = process.env.FLEETWAVE_LOCAL_AUTH;
    process.env.FLEETWAVE_LOCAL_AUTH = 'sigv4';
    if (!existsSync(cliBundlePath)) await buildCliBundle();
    dashboardRoot = await mkdtemp(join(tmpdir(), 'fleetwave-dashboard-'));
    await mkdir(join(dashboardRoot, 'dist', 'dashboard'), { recursive: true });
    await writeFile(join(dashboardRoot, 'dist', 'dashboard', 'index.html'), indexHtml);
  });
  const env = useWorkflowStack({ fleet: { size: 5, canaryShare: 0 } }, template);
  const running: Dashboard[] = [];
  afterAll(async () => {
    for (const dashboard of running) if (dashboard.child.exitCode === null) await dashboard.stop();
    await rm(dashboardRoot, { recursive: true, force: true });
    if (before === undefined) delete process.env.FLEETWAVE_LOCAL_AUTH;
    else process.env.FLEETWAVE_LOCAL_AUTH = before;
  });

  /** A dashboard of the stack whose requests are signed with the stack's key, or with `secret` instead. */
  async function dashboardOfStack(secret = stackKey.secretAccessKey): Promise<Dashboard> {
    const { stack } = env();
    const dashboard = await startDashboard(['--api-url', stack.apiUrl], {
      AWS_REGION: stack.region,
      AWS_ACCESS_KEY_ID: stackKey.accessKeyId,
      AWS_SECRET_ACCESS_KEY: secret,
      FLEETWAVE_DASHBOARD_ROOT: dashboardRoot,
    });
    running.push(dashboard);
    return dashboard;
  }

  it('signs what the page asks: a list, a release created and canceled, the caller named in the history; Ctrl-C exits 0', async () => {
    const dashboard = await dashboardOfStack();
    const page = {
      origin: dashboard.url,
      'sec-fetch-site': 'same-origin',
      accept: 'application/json',
      cookie: dashboard.cookie,
    };

    const list = await rawRequest(`${dashboard.url}/releases?maxResults=5`, { headers: page });
    expect(list.status).toBe(200);
    expect(list.headers['content-type']).toMatch(/^application\/json/);
    expect(json(list.body)).toHaveProperty('items');

    const created = await rawRequest(`${dashboard.url}/releases`, {
      method: 'POST',
      headers: { ...page, 'content-type': 'application/json' },
      body: JSON.stringify(
        releaseRequest({ releaseId: 'proxied-1', jobTemplateId: template, waves: [{ percentage: 100 }] }),
      ),
    });
    expect(created.status).toBe(202);
    expect(created.headers.location).toMatch(/\/releases\/proxied-1$/);

    const canceled = await rawRequest(`${dashboard.url}/releases/proxied-1/cancel`, {
      method: 'POST',
      headers: { ...page, 'content-type': 'application/json' },
      body: JSON.stringify({ comment: 'from the dashboard' }),
    });
    expect(canceled.status).toBeLessThan(300);

    const history = await rawRequest(`${dashboard.url}/releases/proxied-1/history`, { headers: page });
    const items = json(history.body).items as { type: string; to?: string; actor?: string }[];
    expect(items.find((e) => e.type === 'RELEASE_CREATED')).toMatchObject({ actor: stackKey.accessKeyId });
    expect(items.find((e) => e.type === 'RELEASE_STATUS_CHANGED' && e.to === 'CANCELED')).toMatchObject({
      actor: stackKey.accessKeyId,
    });

    expect(await dashboard.stop()).toBe(ExitCode.OK);
  });

  it('serves the dashboard at / and at its pages, answers /_fleetwave/* itself, and refuses other sites', async () => {
    const dashboard = await dashboardOfStack();
    for (const path of ['/', '/dashboard/releases/proxied-1']) {
      const answer = await rawRequest(`${dashboard.url}${path}`);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(answer.body).toBe(indexHtml);
    }

    const events = await rawRequest(`${dashboard.url}/_fleetwave/events?detail-type=x`);
    expect(events.status).toBe(404);
    expect(json(events.body)).toEqual({ message: 'Local events and metrics exist only on the local stack.' });

    const hostile: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
      { host: `rebind.example:${new URL(dashboard.url).port}` },
    ];
    for (const headers of hostile) {
      const answer = await rawRequest(`${dashboard.url}/releases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: dashboard.cookie, ...headers },
        body: JSON.stringify(releaseRequest({ releaseId: 'from-a-page', jobTemplateId: template })),
      });
      expect(answer.status, JSON.stringify(headers)).toBe(403);
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    }
    const notMade = await rawRequest(`${dashboard.url}/releases/from-a-page`, {
      headers: { cookie: dashboard.cookie },
    });
    expect(notMade.status).toBe(404);
  });

  it('signs nothing for a request without the cookie of the printed URL: another user of the machine', async () => {
    const dashboard = await dashboardOfStack();
    const other = await dashboardOfStack();
    for (const cookie of [undefined, other.cookie, 'fleetwave-dashboard=']) {
      const answer = await rawRequest(`${dashboard.url}/releases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(cookie !== undefined && { cookie }) },
        body: JSON.stringify(releaseRequest({ releaseId: 'from-another-user', jobTemplateId: template })),
      });
      expect(answer.status, String(cookie)).toBe(401);
      expect(json(answer.body).message).toContain('open that URL');
    }
    const notMade = await rawRequest(`${dashboard.url}/releases/from-another-user`, {
      headers: { cookie: dashboard.cookie },
    });
    expect(notMade.status).toBe(404);
  });

  it('sends a query as it signed it: a + and a %20 both pass the stack’s signature check', async () => {
    const dashboard = await dashboardOfStack();
    for (const query of ['jobTemplateId=a+b', 'jobTemplateId=a%20b', 'jobTemplateId=a%2Bb']) {
      const answer = await rawRequest(`${dashboard.url}/releases?maxResults=5&${query}`, {
        headers: { cookie: dashboard.cookie },
      });
      expect(answer.status, `${query}: ${answer.body}`).toBe(200);
    }
  });

  it('passes API Gateway’s 403 through when the signature is made with the wrong secret', async () => {
    const dashboard = await dashboardOfStack('not-the-secret-of-this-stack');
    const answer = await rawRequest(`${dashboard.url}/releases`, { headers: { cookie: dashboard.cookie } });
    expect(answer.status).toBe(403);
    expect(json(answer.body).message).toBe(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  });
});

describe('fleetwave dashboard and what it forwards', () => {
  /** Requests the stand-in API received. */
  const received: { method: string; url: string; headers: IncomingHttpHeaders }[] = [];
  const api = createServer((req, res) => {
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    const etag = '"release-list-v1"';
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag, 'cache-control': 'no-cache' });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', etag, 'cache-control': 'no-cache' });
    res.end('{"items":[]}');
  });
  let apiUrl: string;
  let dashboard: Dashboard;
  const credentials = { AWS_ACCESS_KEY_ID: 'AKIDDASHBOARDTEST', AWS_SECRET_ACCESS_KEY: 'secret' };

  beforeAll(async () => {
    if (!existsSync(cliBundlePath)) await buildCliBundle();
    api.listen(0, '127.0.0.1');
    await once(api, 'listening');
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}/prod`;
    dashboard = await startDashboard(['--api-url', apiUrl, '--region', 'eu-west-3'], credentials);
  });
  afterAll(async () => {
    if (dashboard.child.exitCode === null) await dashboard.stop();
    await new Promise((resolve) => api.close(resolve));
    api.closeAllConnections();
  });

  it('forwards If-None-Match and passes the 304 back; never the browser’s cookies or Authorization', async () => {
    const first = await rawRequest(`${dashboard.url}/releases?status=RUNNING`, {
      headers: { cookie: `session=secret; ${dashboard.cookie}`, authorization: 'Bearer from-the-page' },
    });
    expect(first).toMatchObject({
      status: 200,
      body: '{"items":[]}',
      headers: { etag: '"release-list-v1"' },
    });
    const again = await rawRequest(`${dashboard.url}/releases?status=RUNNING`, {
      headers: { 'if-none-match': '"release-list-v1"', cookie: dashboard.cookie },
    });
    expect(again).toMatchObject({ status: 304, body: '', headers: { etag: '"release-list-v1"' } });

    expect(received.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /prod/releases?status=RUNNING',
      'GET /prod/releases?status=RUNNING',
    ]);
    for (const { headers } of received) {
      expect(headers.cookie).toBeUndefined();
      expect(headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDDASHBOARDTEST\/\d{8}\/eu-west-3\/execute-api\/aws4_request, /,
      );
    }
    expect(received[1]?.headers['if-none-match']).toBe('"release-list-v1"');
  });

  it('answers 502 with the reason when nothing listens at the API’s address', async () => {
    // A port just bound and let go: nothing listens there, and no connection to it was ever kept.
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const closedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise((resolve) => probe.close(resolve));
    const nowhere = await startDashboard(
      ['--api-url', closedUrl, '--region', 'eu-west-3', '--json'],
      credentials,
    );
    try {
      const answer = await rawRequest(`${nowhere.url}/releases`, { headers: { cookie: nowhere.cookie } });
      expect(answer.status).toBe(502);
      expect(json(answer.body)).toEqual({
        message: `Cannot reach the API at ${closedUrl} (connection refused).`,
        reason: 'connection refused',
      });
    } finally {
      await nowhere.stop();
    }
  });
});

describe('fleetwave dashboard at start', () => {
  it('prints its help', async () => {
    const help = await fleetwave(['dashboard', '--help'], {});
    expect(help.code).toBe(ExitCode.OK);
    expect(help.stdout).toContain('Usage: fleetwave dashboard [options]');
    for (const option of ['--port N', '--region REGION', '--api-url URL'])
      expect(help.stdout).toContain(option);
  });

  it('without credentials, says what to set and serves nothing (a usage error, as --sigv4)', async () => {
    const missing = await fleetwave(
      ['dashboard', '--api-url', 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com', '--port', '0'],
      {},
    );
    expect(missing.code).toBe(ExitCode.USAGE);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain('the dashboard proxy found no AWS credentials');
  });

  it('refuses an --api-url with a query or a fragment, which each path would be appended to', async () => {
    for (const apiUrl of [
      'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod?stage=x',
      'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod#x',
    ]) {
      const refused = await fleetwave(['dashboard', '--api-url', apiUrl, '--port', '0'], {});
      expect(refused.code).toBe(ExitCode.USAGE);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toContain("--api-url must be the API's base URL, with no query or fragment");
    }
  });

  it('without --api-url, points at the local stack’s own dashboard', async () => {
    const bare = await fleetwave(['dashboard'], {});
    expect(bare.code).toBe(ExitCode.USAGE);
    expect(bare.stderr).toContain('the local stack serves the dashboard itself, at http://127.0.0.1:3000/');
  });
});

describe('the example of docs/cli.md, run as written against a local stack with its defaults', () => {
  const stack = useLocalStack();
  let shell: ChildProcess | undefined;
  afterAll(async () => {
    // The shell and the command it runs are one process group, started here: Ctrl-C to all of it.
    if (shell?.pid !== undefined && shell.exitCode === null) {
      const exited = once(shell, 'exit');
      process.kill(-shell.pid, 'SIGINT');
      await exited;
    }
  });

  it('serves the API through the proxy, signed with any key pair', async () => {
    // Only the addresses are the test's own: the stack's API, and a free port for the proxy.
    const script = shBlockOf(readDoc('docs/cli.md'), 'fleetwave dashboard')
      .replaceAll('http://127.0.0.1:3000', stack().apiUrl)
      .replace('--port 3100', '--port 0');
    const started = spawn('bash', ['-c', `set -eu\n${script}`], {
      cwd: root,
      env: userEnv({}),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    shell = started;
    let stderr = '';
    started.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const printed = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      started.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = printedUrl.exec(stdout);
        if (match) resolve(match[1] as string);
      });
      started.once('exit', (code) => reject(new Error(`the example exited (${code}): ${stderr}`)));
    });
    const cookie = await signIn(printed);
    const list = await rawRequest(`${new URL(printed).origin}/job-templates`, { headers: { cookie } });
    expect(list.status).toBe(200);
    expect(json(list.body)).toHaveProperty('items');
  });
});

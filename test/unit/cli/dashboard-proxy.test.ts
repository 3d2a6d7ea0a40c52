/**
 * The dashboard proxy in-process, in front of a recording fake of the
 * signed fetch: what it forwards of the browser's request, what it passes
 * back of the API's answer, and what it answers itself.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FetchAnswer, HttpFetch } from '../../../cli/api/http-fetch.js';
import { apiTarget, proxiedLocation } from '../../../cli/dashboard/api-target.js';
import { dashboardProxy, maxRequestBytes } from '../../../cli/dashboard/proxy.js';
import { type DashboardServer, startDashboardServer } from '../../../cli/dashboard/server.js';
import { rawRequest } from '../../support/raw-http.js';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: Buffer;
}

type FetchInit = Parameters<HttpFetch>[1];

const apiUrl = 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod';
const token = 'the-token-of-this-run-0123456789abcdefghijk';
/** The cookie the browser holds once it opened the printed URL. */
const signedIn = { cookie: `fleetwave-dashboard=${token}` };

/** A fetch that never answers: it rejects with the signal's reason once the request is given up, and says when. */
function hanging(aborted: (reason: unknown) => void): (init: FetchInit) => Promise<FetchAnswer> {
  return (init) =>
    new Promise((_, reject) => {
      init.signal.addEventListener('abort', () => {
        aborted(init.signal.reason);
        reject(init.signal.reason);
      });
    });
}

function answerOf(status: number, headers: Record<string, string>, body: string): FetchAnswer {
  return {
    status,
    ok: status >= 200 && status < 300,
    headers: { get: (name) => headers[name.toLowerCase()] ?? null },
    text: async () => body,
  };
}

describe('the dashboard proxy', () => {
  const sent: Sent[] = [];
  let next: (init: FetchInit) => Promise<FetchAnswer>;
  /** Called when the fake fetch is called, before it answers. */
  let called: () => void;
  let server: DashboardServer;
  const faults: unknown[] = [];

  const fetch: HttpFetch = async (url, init) => {
    sent.push({
      url: url.href,
      method: init.method,
      headers: init.headers,
      ...(init.body !== undefined && { body: Buffer.from(init.body) }),
    });
    called();
    return next(init);
  };

  beforeAll(async () => {
    const proxy = dashboardProxy({
      apiUrl,
      fetch,
      assets: async (req, res) => {
        if (req.url !== '/') return false;
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>the app</html>');
        return true;
      },
      userAgent: 'fleetwave-dashboard/test',
      token,
    });
    server = await startDashboardServer(0, proxy, (error) => faults.push(error));
  });
  afterAll(() => server.close());
  beforeEach(() => {
    sent.length = 0;
    called = () => undefined;
    next = async () => answerOf(200, { 'content-type': 'application/json' }, '{"items":[]}');
  });

  it('forwards method, path below the stage, query, body and the three API headers, and nothing of the browser else', async () => {
    next = async () =>
      answerOf(
        202,
        {
          'content-type': 'application/json',
          etag: '"v2"',
          location: '/prod/releases/r-1',
          'cache-control': 'no-cache',
          'retry-after': '3',
          'set-cookie': 'aws=1',
          'x-amzn-requestid': 'abc',
          'x-amzn-errortype': 'none',
          'x-powered-by': 'the API',
        },
        '{"status":"CANCELING"}',
      );
    const answer = await rawRequest(`${server.url}/releases/r-1/cancel?force=1`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'if-none-match': '"v1"',
        cookie: `session=secret; ${signedIn.cookie}`,
        authorization: 'Bearer from-the-page',
        'x-amz-security-token': 'from-the-page',
        origin: server.url,
        'sec-fetch-site': 'same-origin',
      },
      body: '{"comment":"stop ✋"}',
    });
    expect(sent).toEqual([
      {
        url: 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/releases/r-1/cancel?force=1',
        method: 'POST',
        headers: {
          'user-agent': 'fleetwave-dashboard/test',
          'content-type': 'application/json',
          accept: 'application/json',
          'if-none-match': '"v1"',
        },
        body: Buffer.from('{"comment":"stop ✋"}'),
      },
    ]);
    expect(answer.status).toBe(202);
    expect(answer.body).toBe('{"status":"CANCELING"}');
    expect(answer.headers).toMatchObject({
      'content-type': 'application/json',
      etag: '"v2"',
      location: '/releases/r-1',
      'cache-control': 'no-cache',
      'retry-after': '3',
      'x-amzn-requestid': 'abc',
      'x-amzn-errortype': 'none',
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'same-origin',
    });
    expect(answer.headers['set-cookie']).toBeUndefined();
    expect(answer.headers['x-powered-by']).toBeUndefined();
  });

  it('passes a 304 back with its ETag and no body', async () => {
    next = async () => answerOf(304, { etag: '"v1"', 'cache-control': 'no-cache' }, '');
    const answer = await rawRequest(`${server.url}/releases`, {
      headers: { 'if-none-match': '"v1"', ...signedIn },
    });
    expect(answer).toMatchObject({ status: 304, body: '', headers: { etag: '"v1"' } });
  });

  it('serves the dashboard’s files itself', async () => {
    const answer = await rawRequest(`${server.url}/`);
    expect(answer).toMatchObject({ status: 200, body: '<html>the app</html>' });
    expect(sent).toEqual([]);
  });

  it.each([
    '/_fleetwave/events?detail-type=x',
    '/_fleetwave/sns/messages',
    '/_fleetwave/metrics',
    '/_fleetwave',
  ])('answers %s with 404 without calling the API', async (path) => {
    const answer = await rawRequest(`${server.url}${path}`);
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body)).toEqual({
      message: 'Local events and metrics exist only on the local stack.',
    });
    expect(sent).toEqual([]);
  });

  it.each([
    ['another origin', { origin: 'https://evil.example' }],
    ['a cross-site fetch', { 'sec-fetch-site': 'cross-site' }],
    ['a rebound domain', { host: 'rebind.example' }],
  ])('refuses %s with 403 and signs nothing', async (_, headers) => {
    const answer = await rawRequest(`${server.url}/releases/r-1/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: '{}',
    });
    expect(answer.status).toBe(403);
    expect((JSON.parse(answer.body) as { message: string }).message).toMatch(/the dashboard proxy\.$/);
    expect(sent).toEqual([]);
  });

  it('refuses a request line naming another host (absolute form) with 400', async () => {
    const answer = await rawRequest(`${server.url}/`, {
      path: 'http://evil.example/releases',
      headers: signedIn,
    });
    expect(answer.status).toBe(400);
    expect(sent).toEqual([]);
  });

  it('refuses a body over 10 MB with 413 and sends nothing', async () => {
    const answer = await rawRequest(`${server.url}/releases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signedIn },
      body: Buffer.alloc(maxRequestBytes + 1, 0x20),
    });
    expect(answer.status).toBe(413);
    expect(sent).toEqual([]);
  });

  it('answers 502 with the reason when the API cannot be reached, or does not answer in time', async () => {
    next = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    const notFound = await rawRequest(`${server.url}/releases`, { headers: signedIn });
    expect(notFound.status).toBe(502);
    expect(JSON.parse(notFound.body)).toEqual({
      message:
        'Cannot reach the API at https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod (host not found).',
      reason: 'host not found',
    });
    next = async () => {
      throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    };
    const late = await rawRequest(`${server.url}/releases`, { headers: signedIn });
    expect(late.status).toBe(502);
    expect((JSON.parse(late.body) as { reason: string }).reason).toBe('no answer in 30 s');
    expect(faults).toEqual([]);
  });

  it('listens on 127.0.0.1 only', () => {
    expect(server.address.address).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.address.port}`);
  });

  it.each([
    '/../admin/x',
    '/%2e%2e/other/x',
    '/%2E%2e/other/x',
    '/releases/.%2E/.%2e/other',
    '/releases/./r-1',
    '/releases/%2e/r-1',
    '/releases/..',
    '/releases/..\\..\\other',
    '/releases\\r-1',
  ])('refuses %s, which would leave the stage path or not be the path signed, with 400', async (path) => {
    const answer = await rawRequest(`${server.url}/`, { path, headers: signedIn });
    expect(answer.status).toBe(400);
    expect(sent).toEqual([]);
  });

  it('sends the bytes of a body that is not UTF-8 as they came', async () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28]);
    const answer = await rawRequest(`${server.url}/releases`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', ...signedIn },
      body: bytes,
    });
    expect(answer.status).toBe(200);
    expect(sent[0]?.body).toEqual(bytes);
  });

  it('refuses a chunked body over 10 MB with 413 and sends nothing', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const upload = request(`${server.url}/releases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...signedIn },
        agent: false,
      });
      upload.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      upload.on('error', reject);
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      for (let i = 0; i <= maxRequestBytes / chunk.length; i++) upload.write(chunk);
      upload.end();
    });
    expect(status).toBe(413);
    expect(sent).toEqual([]);
  });

  it('gives up the API call when the browser goes away', async () => {
    let cancelled!: (reason: unknown) => void;
    const upstreamCancelled = new Promise<unknown>((resolve) => {
      cancelled = resolve;
    });
    next = hanging(cancelled);
    const browser = request(`${server.url}/releases`, { headers: signedIn, agent: false });
    browser.on('error', () => undefined);
    called = () => browser.destroy();
    browser.end();
    const reason = await upstreamCancelled;
    expect((reason as Error).name).toBe('AbortError');
    expect(faults).toEqual([]);
  });

  describe('the session token', () => {
    it('trades the token of the printed URL for an HttpOnly, same-site cookie, and takes it out of the address', async () => {
      for (const [path, location] of [
        [`/?token=${token}`, '/'],
        [`/dashboard/releases/r-1?view=waves&token=${token}`, '/dashboard/releases/r-1?view=waves'],
      ] as const) {
        const answer = await rawRequest(`${server.url}${path}`, { headers: { 'sec-fetch-site': 'none' } });
        expect(answer.status).toBe(303);
        expect(answer.headers.location).toBe(location);
        expect(answer.headers['set-cookie']).toEqual([
          `fleetwave-dashboard=${token}; HttpOnly; SameSite=Strict; Path=/`,
        ]);
      }
    });

    it('refuses a wrong token in the URL with 401, and sets no cookie', async () => {
      const answer = await rawRequest(`${server.url}/?token=${token.replace(/^t/, 'T')}`);
      expect(answer.status).toBe(401);
      expect(answer.headers['set-cookie']).toBeUndefined();
      expect((JSON.parse(answer.body) as { message: string }).message).toContain('open that URL');
    });

    it.each([
      ['no cookie', {}],
      ['another cookie', { cookie: 'session=secret' }],
      ['a wrong token', { cookie: `fleetwave-dashboard=${token.slice(0, -1)}x` }],
      ['a shorter token', { cookie: 'fleetwave-dashboard=abc' }],
      ['the token under another name', { cookie: `fleetwave=${token}` }],
    ])('signs nothing for a request with %s: 401 telling to open the printed URL', async (_, headers) => {
      const answer = await rawRequest(`${server.url}/releases`, { headers });
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.body)).toEqual({
        message:
          'This dashboard answers only the browser that opened the URL `fleetwave dashboard` printed (with ?token=...): open that URL.',
      });
      expect(sent).toEqual([]);
    });
  });

  it('tells onFault of a fault of the listening socket, rather than ending the process', async () => {
    let made: Server | undefined;
    const told: unknown[] = [];
    const other = await startDashboardServer(
      0,
      async () => undefined,
      (error) => told.push(error),
      (listener) => {
        made = createServer(listener);
        return made;
      },
    );
    try {
      const fault = Object.assign(new Error('accept EMFILE'), { code: 'EMFILE' });
      made?.emit('error', fault);
      expect(told).toEqual([fault]);
    } finally {
      await other.close();
    }
  });

  it('says a port in use is in use, and which option chooses another', async () => {
    const taken = Number(new URL(server.url).port);
    await expect(
      startDashboardServer(
        taken,
        async () => undefined,
        () => undefined,
      ),
    ).rejects.toThrow(
      `port ${taken} on 127.0.0.1 is in use: choose another with --port (0 picks a free one)`,
    );
  });
});

describe('the dashboard proxy, one request at a time', () => {
  /** The handler on a server of the test's own, so the test can wait for each request's handling to end. */
  async function serve(fetch: HttpFetch, timeoutMs?: number) {
    const handler = dashboardProxy({
      apiUrl,
      fetch,
      assets: async () => false,
      userAgent: 'fleetwave-dashboard/test',
      token,
      ...(timeoutMs !== undefined && { timeoutMs }),
    });
    const handled: Promise<void>[] = [];
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const http = createServer((req: IncomingMessage, res: ServerResponse) => {
      handled.push(handler(req, res));
      arrived();
    });
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const close = () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    return { url, handled, arrival, close };
  }

  it('answers 502 once the API gives no answer in time', async () => {
    const proxy = await serve((_, init) => hanging(() => undefined)(init), 50);
    try {
      const answer = await rawRequest(`${proxy.url}/releases`, { headers: signedIn });
      expect(answer.status).toBe(502);
      expect((JSON.parse(answer.body) as { reason: string }).reason).toBe('no answer in 0.05 s');
    } finally {
      await proxy.close();
    }
  });

  it('ends quietly, sending nothing, when the browser goes away in the middle of a body', async () => {
    const sent: URL[] = [];
    const proxy = await serve(async (url) => {
      sent.push(url);
      return { status: 200, ok: true, headers: { get: () => null }, text: async () => '' };
    });
    try {
      const upload = request(`${proxy.url}/releases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': '1000', ...signedIn },
      });
      upload.on('error', () => undefined);
      upload.write('{"releaseId":');
      // Some of the body is on its way, the rest never will be.
      await proxy.arrival;
      upload.destroy();
      await expect(Promise.all(proxy.handled)).resolves.toBeDefined();
      expect(sent).toEqual([]);
    } finally {
      await proxy.close();
    }
  });
});

describe('where a request goes on the API', () => {
  it('appends the path and query below the base, at the host root as under a stage', () => {
    expect(apiTarget(apiUrl, '/releases?status=RUNNING')?.href).toBe(`${apiUrl}/releases?status=RUNNING`);
    expect(apiTarget(apiUrl, '/')?.href).toBe(`${apiUrl}/`);
    expect(apiTarget('https://api.example.com', '/releases/r%2F1')?.href).toBe(
      'https://api.example.com/releases/r%2F1',
    );
  });

  it.each(['releases', '*', 'http://evil.example/x', '/a/../../x', '/x/%2E./y', '/x\\y'])(
    'has no target for %s',
    (requestUrl) => {
      expect(apiTarget(apiUrl, requestUrl)).toBeUndefined();
    },
  );

  it('turns a Location under the base into the proxy’s path, and leaves any other as it is', () => {
    const target = new URL(`${apiUrl}/releases`);
    expect(proxiedLocation('/prod/releases/r-1', target, apiUrl)).toBe('/releases/r-1');
    expect(proxiedLocation(`${apiUrl}/releases/r-1?x=1`, target, apiUrl)).toBe('/releases/r-1?x=1');
    expect(proxiedLocation('releases/r-2', target, apiUrl)).toBe('/releases/r-2');
    expect(proxiedLocation('/prod', target, apiUrl)).toBe('/');
    expect(proxiedLocation('/other/x', target, apiUrl)).toBe('/other/x');
    expect(proxiedLocation('https://elsewhere.example/prod/x', target, apiUrl)).toBe(
      'https://elsewhere.example/prod/x',
    );
  });
});

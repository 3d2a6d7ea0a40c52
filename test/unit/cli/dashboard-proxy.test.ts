/**
 * The dashboard proxy in-process, in front of a recording fake of the
 * signed fetch: what it forwards of the browser's request, what it passes
 * back of the API's answer, and what it answers itself.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FetchAnswer, HttpFetch } from '../../../cli/api/http-fetch.js';
import { dashboardProxy, maxRequestBytes } from '../../../cli/dashboard/proxy.js';
import { type DashboardServer, startDashboardServer } from '../../../cli/dashboard/server.js';
import { rawRequest } from '../../support/raw-http.js';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
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
  let next: () => Promise<FetchAnswer>;
  let server: DashboardServer;
  const faults: unknown[] = [];

  const fetch: HttpFetch = async (url, init) => {
    sent.push({
      url: url.href,
      method: init.method,
      headers: init.headers,
      ...(init.body !== undefined && { body: init.body }),
    });
    return next();
  };

  beforeAll(async () => {
    const proxy = dashboardProxy({
      apiUrl: 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod',
      fetch,
      assets: async (req, res) => {
        if (req.url !== '/') return false;
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>the app</html>');
        return true;
      },
      userAgent: 'fleetwave-dashboard/test',
    });
    server = await startDashboardServer(0, proxy, (error) => faults.push(error));
  });
  afterAll(() => server.close());
  beforeEach(() => {
    sent.length = 0;
    next = async () => answerOf(200, { 'content-type': 'application/json' }, '{"items":[]}');
  });

  it('forwards method, path below the stage, query, body and the three API headers, and nothing of the browser else', async () => {
    next = async () =>
      answerOf(
        202,
        {
          'content-type': 'application/json',
          etag: '"v2"',
          location: '/releases/r-1',
          'cache-control': 'no-cache',
          'retry-after': '3',
          'set-cookie': 'aws=1',
          'x-amzn-requestid': 'abc',
        },
        '{"status":"CANCELING"}',
      );
    const answer = await rawRequest(`${server.url}/releases/r-1/cancel?force=1`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'if-none-match': '"v1"',
        cookie: 'session=secret',
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
        body: '{"comment":"stop ✋"}',
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
    });
    expect(answer.headers['set-cookie']).toBeUndefined();
    expect(answer.headers['x-amzn-requestid']).toBeUndefined();
  });

  it('passes a 304 back with its ETag and no body', async () => {
    next = async () => answerOf(304, { etag: '"v1"', 'cache-control': 'no-cache' }, '');
    const answer = await rawRequest(`${server.url}/releases`, { headers: { 'if-none-match': '"v1"' } });
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
    const answer = await rawRequest(`${server.url}/`, { path: 'http://evil.example/releases' });
    expect(answer.status).toBe(400);
    expect(sent).toEqual([]);
  });

  it('refuses a body over 10 MB with 413 and sends nothing', async () => {
    const answer = await rawRequest(`${server.url}/releases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(maxRequestBytes + 1, 0x20),
    });
    expect(answer.status).toBe(413);
    expect(sent).toEqual([]);
  });

  it('answers 502 with the reason when the API cannot be reached, or does not answer in time', async () => {
    next = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    const notFound = await rawRequest(`${server.url}/releases`);
    expect(notFound.status).toBe(502);
    expect(JSON.parse(notFound.body)).toEqual({
      message:
        'Cannot reach the API at https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod (host not found).',
      reason: 'host not found',
    });
    next = async () => {
      throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    };
    const late = await rawRequest(`${server.url}/releases`);
    expect(late.status).toBe(502);
    expect((JSON.parse(late.body) as { reason: string }).reason).toBe('no answer in 30 s');
    expect(faults).toEqual([]);
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

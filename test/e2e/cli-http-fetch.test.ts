/**
 * The CLI's HTTP transport (node:http in place of the global fetch) over real
 * HTTP on 127.0.0.1: what it sends, what it reads back, and how it fails.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../cli/api/client.js';
import { httpFetch } from '../../cli/api/http-fetch.js';
import { ApiUnreachableError } from '../../cli/errors.js';
import { deadApiUrl, type FakeApi, startFakeApi } from './cli-fake-api.js';

const never = () => new AbortController().signal;

describe('httpFetch', () => {
  let api: FakeApi;
  beforeAll(async () => {
    api = await startFakeApi();
  });
  afterAll(() => api?.close());

  it('sends method, path, query, headers and body; reads status, headers and text', async () => {
    api.handle(() => ({ status: 202, body: { releaseId: 'r1' }, headers: { Location: '/releases/r1' } }));
    const answer = await httpFetch(new URL(`${api.url}/releases?dryRun=1`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer t0k' },
      body: JSON.stringify({ releaseId: 'r1' }),
      signal: never(),
    });
    expect(answer.status).toBe(202);
    expect(answer.ok).toBe(true);
    expect(answer.headers.get('location')).toBe('/releases/r1');
    expect(answer.headers.get('Content-Type')).toBe('application/json');
    expect(answer.headers.get('x-missing')).toBeNull();
    expect(JSON.parse(await answer.text())).toEqual({ releaseId: 'r1' });
    const request = api.requests.at(-1);
    expect(request).toMatchObject({ method: 'POST', url: '/releases?dryRun=1', body: { releaseId: 'r1' } });
    expect(request?.headers.authorization).toBe('Bearer t0k');
  });

  it('an error answer is an answer: ok is false, the body is readable', async () => {
    api.handle(() => ({ status: 404, body: { code: 'NotFound', message: 'no release r9' } }));
    const answer = await httpFetch(new URL(`${api.url}/releases/r9`), {
      method: 'GET',
      headers: {},
      signal: never(),
    });
    expect(answer.ok).toBe(false);
    expect(answer.status).toBe(404);
    expect(JSON.parse(await answer.text())).toMatchObject({ code: 'NotFound' });
  });

  it('rejects with the network error (its code) when nothing listens', async () => {
    const url = new URL(`${await deadApiUrl()}/releases`);
    await expect(httpFetch(url, { method: 'GET', headers: {}, signal: never() })).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });

  it('rejects with the signal’s reason once it aborts; the client reports the timeout as such', async () => {
    const controller = new AbortController();
    const reason = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    // A server that takes the request and never answers; the abort comes once it has the request.
    const silent = createServer(() => controller.abort(reason));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const sent = httpFetch(new URL(`${url}/releases`), {
        method: 'GET',
        headers: {},
        signal: controller.signal,
      });
      await expect(sent).rejects.toBe(reason);

      const client = new ApiClient({
        apiUrl: url,
        fetch: (u, init) => httpFetch(u, { ...init, signal: controller.signal }),
      });
      await expect(client.send({ method: 'GET', path: '/releases' })).rejects.toThrow(ApiUnreachableError);
      await expect(client.send({ method: 'GET', path: '/releases' })).rejects.toThrow(
        /no answer within 30 s/,
      );
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

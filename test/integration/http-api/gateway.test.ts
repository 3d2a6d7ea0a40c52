import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type HttpApi, startHttpApi } from '../../../local/http-api/server.js';

let gateway: HttpApi;
beforeAll(async () => {
  gateway = await startHttpApi({
    port: 0,
    root: join(import.meta.dirname, 'fixture'),
    clock: { now: () => Date.UTC(2026, 0, 1) },
    region: 'eu-west-1',
    accountId: '111122223333',
    stage: 'test',
  });
});
afterAll(async () => gateway?.close());

describe('local HTTP API', () => {
  it('binds the loopback interface', () => {
    expect(gateway.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('invokes the route handler with a v2 event and a Lambda context', async () => {
    const res = await fetch(`${gateway.url}/echo/abc?q=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Custom': 'Value' },
      body: '{"a":1}',
    });
    expect(res.status).toBe(200);
    const { event, functionName, remainingMs } = (await res.json()) as {
      event: { headers: Record<string, string> };
      functionName: string;
      remainingMs: number;
    };
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /echo/{id}',
      rawPath: '/echo/abc',
      rawQueryString: 'q=1',
      pathParameters: { id: 'abc' },
      queryStringParameters: { q: '1' },
      body: '{"a":1}',
      isBase64Encoded: false,
      requestContext: {
        accountId: '111122223333',
        timeEpoch: Date.UTC(2026, 0, 1),
        http: { method: 'POST' },
      },
    });
    expect(event.headers['x-custom']).toBe('Value');
    expect(functionName).toBe('gateway-fixture-test-echo');
    expect(remainingMs).toBeGreaterThan(4000);
    expect(remainingMs).toBeLessThanOrEqual(5000);
  });

  it("sends its Date header from the stack's clock, as API Gateway sends its own time", async () => {
    const answers = await Promise.all([
      fetch(`${gateway.url}/echo/abc`, { method: 'POST', body: '{}' }),
      fetch(`${gateway.url}/no-such-route`),
    ]);
    for (const res of answers) {
      await res.arrayBuffer();
      expect(res.headers.get('date')).toBe(new Date(Date.UTC(2026, 0, 1)).toUTCString());
    }
  });

  it('answers the handler status, headers and cookies, with the API Gateway request id', async () => {
    const res = await fetch(`${gateway.url}/echo/abc`, { method: 'POST', body: '{}' });
    expect(res.headers.get('x-echo')).toBe('yes');
    expect(res.headers.get('set-cookie')).toBe('session=1; Path=/');
    expect(res.headers.get('apigw-requestid')).toMatch(/^.{15}=$/);
  });

  it('answers with a Content-Length, as API Gateway does, not in chunked encoding', async () => {
    for (const res of [
      await fetch(`${gateway.url}/echo/abc`, { method: 'POST', body: '{"é":1}' }),
      await fetch(`${gateway.url}/nowhere`),
    ]) {
      const body = Buffer.from(await res.arrayBuffer());
      expect(res.headers.get('transfer-encoding')).toBeNull();
      expect(res.headers.get('content-length')).toBe(String(body.length));
      expect(body.length).toBeGreaterThan(0);
    }
  });

  it('infers a 200 JSON answer from a result without statusCode', async () => {
    const res = await fetch(`${gateway.url}/inferred`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ hello: 'world' });
  });

  it('decodes a base64 result body', async () => {
    const res = await fetch(`${gateway.url}/binary`);
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([1, 2, 3]);
  });

  it('answers an unknown route, or a known path with another method, with 404 Not Found', async () => {
    for (const [method, path] of [
      ['GET', '/nowhere'],
      ['GET', '/echo/abc'],
    ] as const) {
      const res = await fetch(gateway.url + path, { method });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ message: 'Not Found' });
    }
  });

  it('answers a throwing handler with an opaque 500 as API Gateway does', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const res = await fetch(`${gateway.url}/crash`);
      expect(res.status).toBe(500);
      expect(await res.text()).toBe('{"message":"Internal Server Error"}');
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses a body over the 10 MB payload limit with 413', async () => {
    const res = await fetch(`${gateway.url}/echo/abc`, {
      method: 'POST',
      body: Buffer.alloc(10 * 1024 * 1024 + 1),
    });
    expect(res.status).toBe(413);
  });
});

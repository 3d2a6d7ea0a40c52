import { describe, expect, it } from 'vitest';
import { buildHttpApiEvent, clfTime } from '../../../../local/http-api/event.js';

const target = {
  routeKey: 'POST /things/{id}',
  pathParameters: { id: 'a b' },
  timeEpoch: Date.UTC(2026, 2, 12, 19, 3, 58),
  accountId: '123456789012',
  apiId: 'local',
};

function event(
  headers: Record<string, string | string[]>,
  url = '/things/a%20b?x=1&x=2&y=%C3%A9',
  body = '{}',
) {
  return buildHttpApiEvent(
    { method: 'post', url, headers, body: Buffer.from(body), sourceIp: '127.0.0.1' },
    target,
    'REQ=',
  );
}

describe('buildHttpApiEvent', () => {
  it('builds a version 2.0 payload with the raw and decoded forms of the request', () => {
    const e = event({ host: '127.0.0.1:3000', 'content-type': 'application/json', 'user-agent': 'curl/8' });
    expect(e).toMatchObject({
      version: '2.0',
      routeKey: 'POST /things/{id}',
      rawPath: '/things/a%20b',
      rawQueryString: 'x=1&x=2&y=%C3%A9',
      queryStringParameters: { x: '1,2', y: 'é' },
      pathParameters: { id: 'a b' },
      body: '{}',
      isBase64Encoded: false,
      requestContext: {
        accountId: '123456789012',
        apiId: 'local',
        http: {
          method: 'POST',
          path: '/things/a b',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'curl/8',
        },
        requestId: 'REQ=',
        routeKey: 'POST /things/{id}',
        stage: '$default',
        time: '12/Mar/2026:19:03:58 +0000',
        timeEpoch: target.timeEpoch,
      },
    });
  });

  it('joins repeated headers with commas and moves cookies out of the headers', () => {
    const e = event({ 'x-tag': ['a', 'b'], cookie: 'a=1; b=2', 'content-type': 'application/json' });
    expect(e.headers['x-tag']).toBe('a,b');
    expect(e.headers.cookie).toBeUndefined();
    expect(e.cookies).toEqual(['a=1', 'b=2']);
  });

  it('base64-encodes a body that is not text', () => {
    const e = event({ 'content-type': 'application/octet-stream' });
    expect(e.isBase64Encoded).toBe(true);
    expect(Buffer.from(e.body ?? '', 'base64').toString()).toBe('{}');
  });

  it('leaves out the query, path parameters and body when there are none', () => {
    const e = buildHttpApiEvent(
      { method: 'GET', url: '/things', headers: {}, body: Buffer.alloc(0), sourceIp: '127.0.0.1' },
      { ...target, pathParameters: {} },
      'REQ=',
    );
    expect(e).not.toHaveProperty('queryStringParameters');
    expect(e).not.toHaveProperty('pathParameters');
    expect(e).not.toHaveProperty('body');
    expect(e.rawQueryString).toBe('');
  });
});

describe('clfTime', () => {
  it('writes the time as API Gateway does', () => {
    expect(clfTime(Date.UTC(2020, 0, 5, 1, 2, 3))).toBe('05/Jan/2020:01:02:03 +0000');
  });
});

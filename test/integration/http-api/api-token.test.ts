/**
 * The local gateway standing in for IAM: with a token configured, the routes
 * `serverless.yml` gives the `aws_iam` authorizer require it before their
 * handler runs; routes without an authorizer (signed webhooks) do not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApi } from '../../../local/http-api/server.js';
import { startFixtureGateway } from './fixture-gateway.js';

const TOKEN = 'local-api-token-0123456789abcdef';
let token: string | undefined;
let gateway: HttpApi;

beforeAll(async () => {
  gateway = await startFixtureGateway({
    apiToken: () => token,
  });
});
afterAll(async () => gateway?.close());

async function post(path: string, authorization?: string, body = '{"n":1}') {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  const res = await fetch(`${gateway.url}${path}`, { method: 'POST', headers, body });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

describe('the local API token on the gateway', () => {
  it('lets every request through when no token is configured', async () => {
    token = undefined;
    expect((await post('/guarded')).status).toBe(200);
  });

  it('answers 401 with a Bearer challenge and the error body when the token is missing or wrong', async () => {
    token = TOKEN;
    for (const authorization of [undefined, `Bearer ${TOKEN.slice(0, -1)}x`, TOKEN]) {
      const res = await post('/guarded', authorization);
      expect(res.status, String(authorization)).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="fleetwave"');
      expect(res.headers.get('apigw-requestid')).toMatch(/^.{15}=$/);
      expect(res.json).toEqual({
        code: 'UnauthorizedError',
        message: 'A valid bearer token is required (Authorization: Bearer <token>).',
      });
    }
  });

  it('names the caller it let in local, where API Gateway names the IAM principal', async () => {
    const userArn = (res: { json: Record<string, unknown> }) =>
      (res.json.event as { requestContext: { authorizer?: { iam?: { userArn?: string } } } }).requestContext
        .authorizer?.iam?.userArn;
    token = undefined;
    expect(userArn(await post('/guarded'))).toBe('local');
    token = TOKEN;
    expect(userArn(await post('/guarded', `Bearer ${TOKEN}`))).toBe('local');
    // A route without an authorizer has no caller: a webhook names its sender itself.
    expect(userArn(await post('/echo/abc'))).toBeUndefined();
  });

  it('runs the handler for the right token, whatever the case of the scheme', async () => {
    token = TOKEN;
    expect((await post('/guarded', `Bearer ${TOKEN}`)).status).toBe(200);
    expect((await post('/guarded', `bearer ${TOKEN}`)).status).toBe(200);
  });

  it('checks the token before the handler sees the body, so a stranger learns nothing about its rules', async () => {
    token = TOKEN;
    const res = await post('/guarded', undefined, 'x'.repeat(300 * 1024));
    expect(res.status).toBe(401);
    expect(res.json.event).toBeUndefined();
  });

  it('lets a route without an authorizer through (a webhook proves its caller by signature)', async () => {
    token = TOKEN;
    expect((await post('/echo/abc')).status).toBe(200);
  });
});

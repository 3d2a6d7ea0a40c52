/**
 * The local gateway as API Gateway's `AWS_IAM` authoriser: with SigV4
 * settings, the routes `serverless.yml` gives the `aws_iam` authorizer
 * require a valid signature (made here by the CLI's own signing transport
 * over real HTTP), the handler gets the caller in
 * `requestContext.authorizer.iam`, and routes without an authorizer are
 * let through as on AWS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFetch } from '../../../cli/api/http-fetch.js';
import { sigV4Fetch } from '../../../cli/api/sigv4-fetch.js';
import type { HttpApi } from '../../../local/http-api/server.js';
import { startFixtureGateway } from './fixture-gateway.js';

const key = { accessKeyId: 'AKIDGATEWAYTEST01', secretAccessKey: 'gateway-test-secret-0000' };
let gateway: HttpApi;

beforeAll(async () => {
  gateway = await startFixtureGateway({
    apiToken: () => 'a-token-that-sigv4-mode-does-not-ask-for',
    sigV4: () => ({ key, region: 'eu-west-1' }),
  });
});
afterAll(async () => gateway?.close());

async function post(path: string, options: { secret?: string; body?: string } = {}) {
  const signed = sigV4Fetch(httpFetch, {
    region: 'eu-west-1',
    credentials: async () => ({ ...key, secretAccessKey: options.secret ?? key.secretAccessKey }),
  });
  const res = await signed(new URL(path, gateway.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: options.body ?? '{"n":1}',
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, json: JSON.parse(await res.text()) as Record<string, unknown> };
}

describe('SigV4 on the local gateway', () => {
  it('runs the handler for a valid signature, with the caller where API Gateway puts it', async () => {
    const res = await post('/guarded');
    expect(res.status).toBe(200);
    const event = res.json.event as { requestContext: { authorizer?: { iam?: Record<string, unknown> } } };
    expect(event.requestContext.authorizer?.iam).toMatchObject({
      accessKey: key.accessKeyId,
      accountId: '111122223333',
      userArn: key.accessKeyId,
    });
  });

  it('answers 403 with API Gateway’s body to an unsigned request, even one with the bearer token', async () => {
    for (const authorization of [undefined, 'Bearer a-token-that-sigv4-mode-does-not-ask-for']) {
      const res = await fetch(`${gateway.url}/guarded`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization && { authorization }) },
        body: '{}',
      });
      expect(res.status).toBe(403);
      expect(res.headers.get('apigw-requestid')).toMatch(/^.{15}=$/);
      expect(await res.json()).toEqual({ message: 'Missing Authentication Token' });
    }
  });

  it('answers 403 to a signature made with another secret, before the handler runs', async () => {
    const res = await post('/guarded', { secret: 'someone-elses-secret-000', body: 'x'.repeat(300 * 1024) });
    expect(res.status).toBe(403);
    expect(String(res.json.message)).toMatch(
      /^The request signature we calculated does not match the signature you provided\./,
    );
  });

  it('lets a route without the aws_iam authorizer through unsigned, and gives it no caller', async () => {
    const res = await fetch(`${gateway.url}/echo/1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    const { event } = (await res.json()) as { event: { requestContext: Record<string, unknown> } };
    expect(event.requestContext).not.toHaveProperty('authorizer');
  });
});

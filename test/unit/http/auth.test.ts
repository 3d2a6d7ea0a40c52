import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { resetConfig } from '../../../lib/config.js';
import { bearerToken, checkApiToken, httpHandler, ok } from '../../../lib/http/index.js';
import { httpEvent, lambdaContext } from './events.js';

const TOKEN = 'local-api-token-0123456789abcdef';
const savedEnv = { ...process.env };

beforeAll(() => {
  process.env.AWS_REGION = 'us-east-1';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});
afterEach(() => {
  delete process.env.FLEETWAVE_API_TOKEN;
  resetConfig();
});
afterAll(() => {
  process.env = savedEnv;
  resetConfig();
});

function withToken(token: string | undefined): void {
  if (token === undefined) delete process.env.FLEETWAVE_API_TOKEN;
  else process.env.FLEETWAVE_API_TOKEN = token;
  resetConfig();
}

const guarded = httpHandler({ body: z.strictObject({ n: z.number() }) }, async ({ body }) => ok(body));
const open = httpHandler({ auth: 'none' }, async () => ok({ open: true }));

async function call(handler: typeof guarded, authorization?: string, body = '{"n":1}') {
  const event = httpEvent({ body });
  if (authorization !== undefined) event.headers.authorization = authorization;
  const result = await handler(event, lambdaContext());
  return { ...result, json: result.body === undefined ? undefined : JSON.parse(result.body) };
}

describe('API token authentication', () => {
  it('lets every request through when no token is configured (IAM guards the routes on AWS)', async () => {
    withToken(undefined);
    expect((await call(guarded)).statusCode).toBe(200);
  });

  it('answers 401 with a Bearer challenge when the token is missing', async () => {
    withToken(TOKEN);
    const res = await call(guarded);
    expect(res.statusCode).toBe(401);
    expect(res.headers?.['www-authenticate']).toBe('Bearer realm="fleetwave"');
    expect(res.json.code).toBe('UnauthorizedError');
  });

  it('answers 401 for a wrong token, a token of another length and another scheme', async () => {
    withToken(TOKEN);
    for (const header of [
      `Bearer ${TOKEN.slice(0, -1)}x`,
      `Bearer ${TOKEN}0`,
      `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}`,
      TOKEN,
    ]) {
      expect((await call(guarded, header)).statusCode).toBe(401);
    }
  });

  it('accepts the right token, whatever the case of the scheme', async () => {
    withToken(TOKEN);
    expect((await call(guarded, `Bearer ${TOKEN}`)).statusCode).toBe(200);
    expect((await call(guarded, `bearer ${TOKEN}`)).statusCode).toBe(200);
  });

  it('checks the token before the body, so a stranger learns nothing about validation rules', async () => {
    withToken(TOKEN);
    expect((await call(guarded, undefined, '{"bad": true}')).statusCode).toBe(401);
    expect((await call(guarded, undefined, 'x'.repeat(300 * 1024))).statusCode).toBe(401);
  });

  it('lets a route opt out (a webhook proves its caller by signature)', async () => {
    withToken(TOKEN);
    expect((await call(open)).statusCode).toBe(200);
    expect(open.contract.auth).toBe('none');
    expect(guarded.contract.auth).toBe('api-token');
  });

  it('reads the token of a header with any name case when the event was built by hand', () => {
    expect(() => checkApiToken({ Authorization: `Bearer ${TOKEN}` }, TOKEN)).not.toThrow();
    expect(() => checkApiToken({}, TOKEN)).toThrow('A valid bearer token is required');
  });

  it('parses only a well-formed Bearer header', () => {
    expect(bearerToken(`Bearer ${TOKEN}`)).toBe(TOKEN);
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

describe('request headers and optional bodies', () => {
  const keyed = httpHandler(
    {
      headers: z.object({ 'idempotency-key': z.string().max(8, 'must be at most 8 characters').optional() }),
      body: z.strictObject({ force: z.boolean().optional() }).optional(),
    },
    async ({ headers, body }) => ok({ key: headers['idempotency-key'] ?? null, body: body ?? null }),
  );

  it('passes a validated header to the handler function', async () => {
    const event = httpEvent({ body: '{"force":true}' });
    event.headers['idempotency-key'] = 'k1';
    const res = await keyed(event, lambdaContext());
    expect(JSON.parse(res.body ?? '')).toEqual({ key: 'k1', body: { force: true } });
  });

  it('names a bad header in the 400 like any other field', async () => {
    const event = httpEvent({ body: '{}' });
    event.headers['idempotency-key'] = 'much-too-long';
    const res = await keyed(event, lambdaContext());
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body ?? '').details).toEqual([
      { path: 'idempotency-key', message: 'must be at most 8 characters' },
    ]);
  });

  it('accepts a missing body when the body schema is optional', async () => {
    const res = await keyed(httpEvent({}), lambdaContext());
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body ?? '')).toEqual({ key: null, body: null });
  });
});

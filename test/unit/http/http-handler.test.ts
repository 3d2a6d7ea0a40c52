import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { resetConfig } from '../../../lib/config.js';
import {
  ConflictError,
  NotFoundError,
  PayloadTooLargeError,
  ThrottledError,
  UnauthorizedError,
  UpstreamError,
  ValidationError,
} from '../../../lib/domain/errors.js';
import { created, httpHandler, ok } from '../../../lib/http/index.js';
import { useQuietEnv } from '../../support/quiet-env.js';
import { httpEvent, lambdaContext } from './events.js';

useQuietEnv();

const thingSchemas = {
  path: z.object({ thingId: z.string().regex(/^[a-z]+$/, 'must be lower-case letters') }),
  query: z.object({ dryRun: z.enum(['true', 'false']).optional() }),
  body: z.strictObject({ name: z.string().min(1, 'must not be empty'), size: z.number().int().max(10) }),
};

const echo = httpHandler(thingSchemas, async (input) => created(input, `/things/${input.path.thingId}`));

function throwing(error: unknown) {
  return httpHandler({}, async () => {
    throw error;
  });
}

async function invoke(handler: typeof echo, req: Parameters<typeof httpEvent>[0] = {}) {
  const result = await handler(httpEvent(req), lambdaContext());
  return { ...result, json: result.body === undefined ? undefined : JSON.parse(result.body) };
}

describe('httpHandler request validation', () => {
  it('passes the validated, typed input to the handler function', async () => {
    const res = await invoke(echo, {
      url: '/things/abc?dryRun=true',
      pathParameters: { thingId: 'abc' },
      body: JSON.stringify({ name: 'n', size: 3 }),
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers).toMatchObject({ 'content-type': 'application/json', location: '/things/abc' });
    expect(res.json).toEqual({
      path: { thingId: 'abc' },
      query: { dryRun: 'true' },
      body: { name: 'n', size: 3 },
    });
  });

  it('answers malformed JSON with 400, never 500', async () => {
    const res = await invoke(echo, { pathParameters: { thingId: 'abc' }, body: '{"name": "n",' });
    expect(res.statusCode).toBe(400);
    expect(res.json).toMatchObject({
      code: 'ValidationError',
      details: [{ path: '', message: 'must be valid JSON' }],
    });
  });

  it('answers a missing body with 400', async () => {
    const res = await invoke(echo, { pathParameters: { thingId: 'abc' } });
    expect(res.statusCode).toBe(400);
    expect(res.json.details).toEqual([{ path: '', message: 'a JSON body is required' }]);
  });

  it('names every bad field of the path, the query and the body in one answer', async () => {
    const res = await invoke(echo, {
      url: '/things/ABC?dryRun=maybe',
      pathParameters: { thingId: 'ABC' },
      body: JSON.stringify({ name: '', size: 11.5, colour: 'red' }),
    });
    expect(res.statusCode).toBe(400);
    const paths = (res.json.details as { path: string }[]).map((d) => d.path).sort();
    expect(paths).toEqual(['colour', 'dryRun', 'name', 'size', 'thingId']);
    expect(res.json.message).toContain('thingId');
  });

  it.each(['application/json', 'application/json; charset=utf-8', 'application/merge-patch+json'])(
    'reads a body sent as %s',
    async (contentType) => {
      const res = await invoke(echo, {
        pathParameters: { thingId: 'abc' },
        contentType,
        body: JSON.stringify({ name: 'n', size: 1 }),
      });
      expect(res.statusCode).toBe(201);
    },
  );

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream'])(
    'answers a body sent as %s with 415, before reading it',
    async (contentType) => {
      const res = await invoke(echo, {
        pathParameters: { thingId: 'abc' },
        contentType,
        body: JSON.stringify({ name: 'n', size: 1 }),
      });
      expect(res.statusCode).toBe(415);
      expect(res.json).toEqual({
        code: 'UnsupportedMediaTypeError',
        message: 'The request body must be JSON, sent with Content-Type: application/json.',
      });
    },
  );

  it('answers a body over the size limit with 413', async () => {
    const small = httpHandler({ body: z.unknown(), maxBodyBytes: 10 }, async () => ok({}));
    const res = await invoke(small, { body: JSON.stringify({ text: 'x'.repeat(20) }) });
    expect(res.statusCode).toBe(413);
    expect(res.json.code).toBe('PayloadTooLargeError');
  });
});

describe('httpHandler error mapping', () => {
  it.each([
    [new ValidationError('bad', [{ path: 'a', message: 'm' }]), 400],
    [new UnauthorizedError('who are you'), 401],
    [new NotFoundError('no such thing'), 404],
    [new ConflictError('already there'), 409],
    [new PayloadTooLargeError('too big'), 413],
    [new ThrottledError('slow down', 7), 429],
  ])('maps %s to its status with its message', async (error, status) => {
    const res = await invoke(throwing(error));
    expect(res.statusCode).toBe(status);
    expect(res.json).toMatchObject({ code: error.name, message: error.message });
  });

  it('sends Retry-After with 429', async () => {
    const res = await invoke(throwing(new ThrottledError('slow down', 7)));
    expect(res.headers?.['retry-after']).toBe('7');
  });

  it('answers UpstreamError with 502 and no internals', async () => {
    const res = await invoke(
      throwing(
        new UpstreamError('IoT said InternalFailureException at 10.0.0.1', 'InternalFailureException'),
      ),
    );
    expect(res.statusCode).toBe(502);
    expect(res.body).not.toMatch(/InternalFailure|10\.0\.0\.1/);
    expect(res.json.code).toBe('UpstreamError');
  });

  it('answers an unexpected error with an opaque 500', async () => {
    const res = await invoke(throwing(new TypeError('secret detail: x is undefined')));
    expect(res.statusCode).toBe(500);
    expect(res.json).toEqual({ code: 'InternalError', message: 'Internal server error.' });
  });

  it('does not trust an error that only borrows a domain name', async () => {
    const impostor = Object.assign(new Error('leak'), { name: 'NotFoundError' });
    const res = await invoke(throwing(impostor));
    expect(res.statusCode).toBe(500);
  });
});

describe('httpHandler logging', () => {
  it('logs one structured line per request carrying the API and Lambda request ids', async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
    resetConfig();
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const context = lambdaContext();
      await echo(httpEvent({ pathParameters: { thingId: 'abc' }, body: '{"name":"n","size":1}' }), context);
      const records = lines
        .flatMap((l) => l.split('\n'))
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l));
      const request = records.find((r) => r.message === 'request');
      expect(request).toMatchObject({
        api_request_id: 'TESTREQUESTID00=',
        function_request_id: context.awsRequestId,
        route_key: 'POST /things',
        status: 201,
      });
    } finally {
      spy.mockRestore();
      process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
      resetConfig();
    }
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

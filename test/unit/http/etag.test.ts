import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../lib/domain/errors.js';
import { entityTag, noneMatchHits } from '../../../lib/http/etag.js';
import { created, httpHandler, ok } from '../../../lib/http/index.js';
import { useQuietEnv } from '../../support/quiet-env.js';
import { httpEvent, lambdaContext } from './events.js';

useQuietEnv();

let answer: unknown = { items: [1, 2, 3] };
const read = httpHandler({}, async () => ok(answer));
const missing = httpHandler({}, async () => {
  throw new NotFoundError('Release r does not exist.', 'r');
});
const make = httpHandler({}, async () => created({ id: 'a' }, '/things/a'));

async function get(handler: typeof read, ifNoneMatch?: string, method = 'GET') {
  const event = httpEvent({ method, url: '/things', routeKey: `${method} /things` });
  if (ifNoneMatch !== undefined) event.headers['if-none-match'] = ifNoneMatch;
  return handler(event, lambdaContext());
}

describe('conditional GET', () => {
  it('tags a GET answer with the hash of its body, for the caller only, to check before use', async () => {
    answer = { items: [1, 2, 3] };
    const res = await get(read);
    expect(res.statusCode).toBe(200);
    expect(res.headers?.etag).toBe(entityTag(res.body as string));
    expect(res.headers?.etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(res.headers?.['cache-control']).toBe('private, no-cache');
  });

  it('gives the same body the same tag and a changed body another', async () => {
    answer = { items: [1] };
    const first = (await get(read)).headers?.etag;
    expect((await get(read)).headers?.etag).toBe(first);
    answer = { items: [1, 2] };
    expect((await get(read)).headers?.etag).not.toBe(first);
  });

  it('answers 304 without a body, with the same tag, when If-None-Match names it', async () => {
    answer = { items: ['a'] };
    const etag = (await get(read)).headers?.etag as string;
    for (const ifNoneMatch of [etag, `"other", ${etag}`, `W/${etag}`, '*']) {
      const res = await get(read, ifNoneMatch);
      expect({ ifNoneMatch, status: res.statusCode }).toEqual({ ifNoneMatch, status: 304 });
      expect(res.body).toBeUndefined();
      expect(res.headers).toEqual({ etag, 'cache-control': 'private, no-cache' });
    }
    const stale = await get(read, '"stale"');
    expect(stale.statusCode).toBe(200);
    expect(JSON.parse(stale.body as string)).toEqual({ items: ['a'] });
  });

  it('tags no error and no answer to another method', async () => {
    const error = await get(missing, '*');
    expect(error.statusCode).toBe(404);
    expect(error.headers?.etag).toBeUndefined();
    const post = await get(make, '*', 'POST');
    expect(post.statusCode).toBe(201);
    expect(post.headers?.etag).toBeUndefined();
  });
});

describe('noneMatchHits', () => {
  it('compares weakly over a list, and treats an absent header as no match', () => {
    expect(noneMatchHits(undefined, '"a"')).toBe(false);
    expect(noneMatchHits('"b" , W/"a"', '"a"')).toBe(true);
    expect(noneMatchHits('"b"', '"a"')).toBe(false);
    expect(noneMatchHits('"a"', 'W/"a"')).toBe(true);
  });
});

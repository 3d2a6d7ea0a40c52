/**
 * Conditional GETs: every successful GET answer carries a strong `ETag`
 * (a SHA-256 of its exact body) and `Cache-Control: private, no-cache`
 * (`private`: the answers are for an IAM-authenticated caller, so no shared
 * cache between the caller and the API may keep them), so a client
 * that polls (the dashboard) asks with `If-None-Match` and gets a bodiless
 * 304 while nothing changed. The tag is computed from the answer itself, so
 * no route has to know its own version; the route still does its reads, the
 * saving is the bytes and the client's work. Errors carry no tag.
 */
import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** What every tagged answer may be cached as: by the caller only, and checked before each use. */
const CACHE_CONTROL = 'private, no-cache';

/** The strong entity tag of `body`: its SHA-256, base64url, quoted. */
export function entityTag(body: string): string {
  return `"${createHash('sha256').update(body, 'utf8').digest('base64url')}"`;
}

/** Drops a weak tag's `W/`: If-None-Match compares weakly (RFC 9110, 13.1.2). */
const opaque = (tag: string) => (tag.startsWith('W/') ? tag.slice(2) : tag);

/** True when `ifNoneMatch` (`*`, or a list of tags) names `etag`. */
export function noneMatchHits(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const wanted = opaque(etag);
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim())
    .some((tag) => tag === '*' || opaque(tag) === wanted);
}

/**
 * `result` as the answer to `event`: a 200 answer to a GET gets its ETag and
 * {@link CACHE_CONTROL}, or becomes a 304 with the same headers and no body when the
 * request's `If-None-Match` names its tag. Any other answer is left as it is.
 */
export function conditionalGet(
  event: APIGatewayProxyEventV2,
  result: APIGatewayProxyStructuredResultV2,
): APIGatewayProxyStructuredResultV2 {
  if (event.requestContext?.http?.method !== 'GET' || result.statusCode !== 200) return result;
  if (typeof result.body !== 'string') return result;
  const etag = entityTag(result.body);
  const tagged: Record<string, string | number | boolean> = {
    ...result.headers,
    etag,
    'cache-control': CACHE_CONTROL,
  };
  if (noneMatchHits(event.headers?.['if-none-match'], etag)) {
    // A 304 carries the headers a 200 would have had for caching, and nothing that describes a body.
    const { 'content-type': _type, ...headers } = tagged;
    return { statusCode: 304, headers };
  }
  return { ...result, headers: tagged };
}

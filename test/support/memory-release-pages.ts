/**
 * Paging for the in-memory release store: the limits and the errors of the
 * repository's listings, with a token bound to the listing it came from, as
 * the repository refuses a token of another listing.
 */
import { ValidationError } from '../../lib/domain/errors.js';
import type { Page, PageRequest } from '../../lib/domain/release-store.js';

/** One page of `all` (copied), `fallback` items by default and at most `max`. */
export function pageOf<T>(
  all: readonly T[],
  request: PageRequest,
  fallback: number,
  max: number,
  listing: string,
): Page<T> {
  const limit = request.limit ?? fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new ValidationError('The limit is invalid.', [
      { path: 'limit', message: `must be from 1 to ${max}` },
    ]);
  }
  let start = 0;
  if (request.nextToken) {
    const [tokenListing, offset] = Buffer.from(request.nextToken, 'base64url').toString().split('\n');
    start = Number(offset);
    if (tokenListing !== listing || !Number.isInteger(start) || start < 0) {
      throw new ValidationError('The nextToken is invalid.', [
        { path: 'nextToken', message: 'is not a token of this listing' },
      ]);
    }
  }
  const end = start + limit;
  const nextToken = end < all.length ? Buffer.from(`${listing}\n${end}`).toString('base64url') : undefined;
  return { items: structuredClone(all.slice(start, end)), ...(nextToken && { nextToken }) };
}

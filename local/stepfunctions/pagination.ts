/**
 * `nextToken` and `maxResults` as the Step Functions list operations use
 * them. Tokens are opaque to callers; a token that was not issued here is
 * `InvalidToken`, as on AWS.
 */
import { sfnError } from './errors.js';

const DEFAULT_PAGE = 100;

/** Page size: 0 or absent means the service default (100). */
const pageSize = (maxResults: number | undefined): number =>
  maxResults === undefined || maxResults === 0 ? DEFAULT_PAGE : maxResults;

function encodeToken(scope: string, position: string | number): string {
  return Buffer.from(JSON.stringify({ s: scope, p: position })).toString('base64url');
}

/** The position a token stands for; throws `InvalidToken` for a token of another listing or garbage. */
function decodeToken(token: string, scope: string): string | number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      s?: unknown;
      p?: unknown;
    };
    if (parsed.s === scope && (typeof parsed.p === 'string' || typeof parsed.p === 'number')) return parsed.p;
  } catch {
    // falls through to the AWS error
  }
  throw sfnError('InvalidToken', `Invalid Token: '${token}'`);
}

/** One page of `items` (already in listing order) after the token's position. */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => string | number,
  scope: string,
  maxResults: number | undefined,
  nextToken: string | undefined,
): { page: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken !== undefined) {
    const after = decodeToken(nextToken, scope);
    start = items.findIndex((item) => keyOf(item) === after) + 1;
    // The item the token points at may be gone; resume from where it would sort.
    if (start === 0) start = items.length;
  }
  const size = pageSize(maxResults);
  const page = items.slice(start, start + size);
  const last = page.at(-1);
  if (start + size < items.length && last !== undefined) {
    return { page, nextToken: encodeToken(scope, keyOf(last)) };
  }
  return { page };
}

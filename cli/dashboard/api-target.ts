/**
 * Where a request of the page goes on the API: its path and query below
 * the `--api-url` base, and nowhere else. The proxy signs what it sends, so
 * a request line that resolved to another stage, another API of the same
 * host, or another host would be signed for a place the user never named.
 */

/** A dot segment, spelt plainly or percent-encoded in any case (`.`, `..`, `%2e`, `.%2E`, ...). */
const dotSegment = /^(?:\.|%2e){1,2}$/i;

/**
 * True when the raw path of `requestUrl` has a `.` or `..` segment or a `\`:
 * the URL parser would resolve them (a `\` counts as `/` in http URLs), so the
 * path sent would not be the path asked for.
 */
function resolvesAway(requestUrl: string): boolean {
  const rawPath = requestUrl.split(/[?#]/, 1)[0] ?? '';
  return rawPath.includes('\\') || rawPath.split('/').some((segment) => dotSegment.test(segment));
}

/** The base's path with no trailing `/` (empty for a base at the host's root). */
function basePathOf(base: URL): string {
  return base.pathname.replace(/\/$/, '');
}

/** True when `url` is on the base's origin, at its path or below it. */
function isBelow(url: URL, base: URL): boolean {
  const basePath = basePathOf(base);
  return url.origin === base.origin && (url.pathname === basePath || url.pathname.startsWith(`${basePath}/`));
}

/**
 * The API's URL for the request line `requestUrl` (origin-form: path and
 * query), or undefined when it would leave the base: not origin-form, a dot
 * segment or a backslash in its path, or a result outside the base's origin
 * and path.
 * @param apiUrl the API's base URL (its stage path included), no trailing slash
 */
export function apiTarget(apiUrl: string, requestUrl: string): URL | undefined {
  if (!requestUrl.startsWith('/') || resolvesAway(requestUrl)) return undefined;
  let base: URL;
  let target: URL;
  try {
    base = new URL(apiUrl);
    // Appended as text, never resolved against the base: `new URL('/x', base)` would drop the stage path.
    target = new URL(`${apiUrl}${requestUrl}`);
  } catch {
    return undefined;
  }
  return isBelow(target, base) ? target : undefined;
}

/**
 * `location` as the page must follow it: a place under the API's base path
 * becomes the same place under the proxy (the base path taken off), so the
 * browser stays on the proxy; anything else is passed on as the API sent it.
 * @param target the URL the request was sent to, against which a relative `location` resolves
 */
export function proxiedLocation(location: string, target: URL, apiUrl: string): string {
  let base: URL;
  let resolved: URL;
  try {
    base = new URL(apiUrl);
    resolved = new URL(location, target);
  } catch {
    return location;
  }
  if (!isBelow(resolved, base)) return location;
  return `${resolved.pathname.slice(basePathOf(base).length) || '/'}${resolved.search}${resolved.hash}`;
}

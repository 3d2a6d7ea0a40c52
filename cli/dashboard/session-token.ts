/**
 * The per-run secret that makes the dashboard proxy this user's alone.
 *
 * 127.0.0.1 is shared by every user of the machine, and the proxy signs with
 * one user's credentials: without a secret, any local account could have it
 * sign. So each run makes a random token and prints it in the URL
 * (`/?token=...`, as Jupyter does); opening that URL trades the token for an
 * HttpOnly cookie, and every request the proxy would sign must carry it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerJson } from './answer-json.js';

/** The cookie that carries the token. */
export const sessionCookie = 'fleetwave-dashboard';

/** A new token: 256 random bits, URL-safe. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Equal in time independent of where they differ (the lengths are not secret: every token has the same). */
function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** True when `req` carries the session cookie with `token`. */
export function hasSessionCookie(req: IncomingMessage, token: string): boolean {
  const header = req.headers.cookie ?? '';
  return header.split(';').some((pair) => {
    const at = pair.indexOf('=');
    return (
      at > 0 && pair.slice(0, at).trim() === sessionCookie && sameToken(pair.slice(at + 1).trim(), token)
    );
  });
}

/** The page URL the command prints: opening it signs the browser in. */
export function sessionUrl(serverUrl: string, token: string): string {
  return `${serverUrl}/?token=${token}`;
}

/** What a request without the cookie is told. */
export const signInMessage =
  'This dashboard answers only the browser that opened the URL `fleetwave dashboard` printed (with ?token=...): open that URL.';

/**
 * Answers a page request (`GET`/`HEAD` of `/` or `/dashboard/...`) that
 * carries `?token=`: the right token sets the cookie and redirects (303) to
 * the same URL without it, so the token leaves the address bar and the
 * history; a wrong one is a 401. Returns false for any other request.
 */
export function answerSignIn(req: IncomingMessage, res: ServerResponse, token: string): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (!url.searchParams.has('token')) return false;
  if (url.pathname !== '/' && !url.pathname.startsWith('/dashboard/')) return false;
  if (!sameToken(url.searchParams.get('token') ?? '', token)) {
    answerJson(res, 401, { message: signInMessage });
    return true;
  }
  url.searchParams.delete('token');
  res.writeHead(303, {
    'set-cookie': `${sessionCookie}=${token}; HttpOnly; SameSite=Strict; Path=/`,
    location: `${url.pathname}${url.search}`,
    'cache-control': 'no-store',
  });
  res.end();
  return true;
}

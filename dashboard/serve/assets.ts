/**
 * Serves the dashboard's built files (`dist/dashboard/`, written by
 * `build/dashboard-bundle.mjs` on `npm install` and before packaging) to a
 * browser. Both places that show the dashboard use it: the local stack's
 * REST API port, and `fleetwave dashboard` in front of a deployed API.
 *
 * The dashboard's own paths never meet an API route:
 *
 *   GET /                         the app (the release list)
 *   GET /dashboard/...            the app, at any of its pages (the app routes in the browser)
 *   GET /dashboard/assets/<file>  the built JS and CSS
 *
 * Everything else is left to the caller (the API's routes, or the proxy).
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';

/** Answers a request for the dashboard, or says it is not one. */
export type DashboardAssets = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

/** A built file's name: one plain segment, so no request can leave the assets folder. */
const assetName = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** What `path` asks of the dashboard: the page, one asset, or nothing of it. */
export function dashboardTarget(
  path: string,
): { kind: 'page' } | { kind: 'asset'; name: string } | undefined {
  if (path === '/' || path === '/dashboard' || path === '/dashboard/') return { kind: 'page' };
  if (path.startsWith('/dashboard/assets/')) {
    const name = path.slice('/dashboard/assets/'.length);
    return assetName.test(name) ? { kind: 'asset', name } : undefined;
  }
  if (path.startsWith('/dashboard/')) return { kind: 'page' };
  return undefined;
}

function answer(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer | string) {
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

/**
 * The dashboard's files under `<root>/dist/dashboard/`, read at each request
 * (a rebuild shows at the next reload). `root` is the project's root folder.
 */
export function dashboardAssets(options: { root: string }): DashboardAssets {
  const dist = join(options.root, 'dist', 'dashboard');
  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const target = dashboardTarget(path);
    if (!target) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      req.resume();
      answer(
        res,
        405,
        { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' },
        'Method Not Allowed\n',
      );
      return true;
    }
    req.resume();
    const file = target.kind === 'page' ? join(dist, 'index.html') : join(dist, 'assets', target.name);
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      if (target.kind === 'page') {
        answer(
          res,
          503,
          { 'content-type': 'text/plain; charset=utf-8' },
          'The dashboard is not built: run `npm run build:dashboard` (npm install runs it).\n',
        );
      } else answer(res, 404, { 'content-type': 'text/plain; charset=utf-8' }, 'Not Found\n');
      return true;
    }
    const extension = file.slice(file.lastIndexOf('.'));
    const headers = {
      'content-type': contentTypes[extension] ?? 'application/octet-stream',
      // The page is small and names its assets; both are checked again at each load, so a rebuild shows at once.
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      ...(target.kind === 'page' && {
        // Everything the page uses is its own: no CDN, no inline script, nothing framed.
        'content-security-policy':
          "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
      }),
    };
    if (req.method === 'HEAD') {
      res.writeHead(200, { ...headers, 'content-length': String(body.length) });
      res.end();
    } else answer(res, 200, headers, body);
    return true;
  };
}

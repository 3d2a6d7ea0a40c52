/**
 * What `fleetwave dashboard` does with each request the browser sends: the
 * dashboard's own files from disk, and every other request forwarded to the
 * deployed API, signed with the user's AWS credentials.
 *
 * Because it signs, it must only ever sign what the dashboard itself asks:
 * a page of another site, or one on a domain rebound to 127.0.0.1, is
 * refused before anything else (`dashboard/serve/cross-site-guard.ts`). Of
 * the browser's own headers only the few an API call needs go on; its
 * cookies and any `Authorization` never do.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DashboardAssets } from '../../dashboard/serve/assets.js';
import { crossSiteRefusal } from '../../dashboard/serve/cross-site-guard.js';
import { networkReason } from '../api/client.js';
import type { HttpFetch } from '../api/http-fetch.js';
import { CliError } from '../errors.js';

/** The largest request body forwarded: API Gateway's own payload limit. */
export const maxRequestBytes = 10 * 1024 * 1024;

/** Request headers an API call needs; nothing else of the browser's goes to AWS. */
const forwardedRequestHeaders = ['content-type', 'accept', 'if-none-match'] as const;

/** Answer headers the dashboard reads (caching, created resources, throttling). */
const returnedAnswerHeaders = ['content-type', 'etag', 'location', 'cache-control', 'retry-after'] as const;

/** How long one forwarded request may take before the browser gets a 502. */
const defaultTimeoutMs = 30_000;

export interface DashboardProxyOptions {
  /** The deployed API's base URL (its stage path included), with no trailing slash. */
  readonly apiUrl: string;
  /** Sends a request to the API, signed. */
  readonly fetch: HttpFetch;
  /** The dashboard's files. */
  readonly assets: DashboardAssets;
  /** Sent as `User-Agent` to the API. */
  readonly userAgent: string;
  readonly timeoutMs?: number;
}

function answerJson(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** The request's body, or undefined once it passed `maxRequestBytes` (the rest is left unread). */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxRequestBytes) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxRequestBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The API's URL for the request: its path and query appended to the base
 * as text, never resolved against it, so no request line can name another
 * host or leave the base's stage path.
 */
function targetOf(apiUrl: string, requestUrl: string): URL | undefined {
  if (!requestUrl.startsWith('/')) return undefined;
  try {
    const target = new URL(`${apiUrl}${requestUrl}`);
    return target.origin === new URL(apiUrl).origin ? target : undefined;
  } catch {
    return undefined;
  }
}

function headersToForward(req: IncomingMessage, userAgent: string): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': userAgent };
  for (const name of forwardedRequestHeaders) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

/** Why a request got no answer from the API, for the 502's message. */
function failureReason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer in ${timeoutMs / 1000} s`;
  // A credential chain that stopped finding credentials says so in a sentence of its own.
  return error instanceof CliError ? error.message : networkReason(error);
}

/** The request handler of the dashboard's server. */
export function dashboardProxy(
  options: DashboardProxyOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  return async (req, res) => {
    const refusal = crossSiteRefusal(req, '127.0.0.1', 'the dashboard proxy');
    if (refusal) {
      req.resume();
      return answerJson(res, 403, { message: refusal });
    }
    const requestUrl = req.url ?? '/';
    if (/^\/_fleetwave(?:[/?]|$)/.test(requestUrl)) {
      req.resume();
      return answerJson(res, 404, { message: 'Local events and metrics exist only on the local stack.' });
    }
    if (await options.assets(req, res)) return;
    const target = targetOf(options.apiUrl, requestUrl);
    if (!target) {
      req.resume();
      return answerJson(res, 400, { message: 'The request names no path of the API.' });
    }
    const body = await readBody(req);
    if (body === undefined) {
      req.resume();
      return answerJson(res, 413, { message: `Request bodies are limited to ${maxRequestBytes} bytes.` });
    }
    // A browser that goes away (a closed tab, a poll replaced by the next) needs no answer.
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    const method = req.method ?? 'GET';
    try {
      const answer = await options.fetch(target, {
        method,
        headers: headersToForward(req, options.userAgent),
        // The API speaks JSON, which is text: the signer hashes the same bytes that are sent.
        ...(body.length > 0 && { body: body.toString('utf8') }),
        signal: AbortSignal.any([gone.signal, AbortSignal.timeout(timeoutMs)]),
      });
      const text = await answer.text();
      const headers: Record<string, string> = {};
      for (const name of returnedAnswerHeaders) {
        const value = answer.headers.get(name);
        if (value !== null) headers[name] = value;
      }
      const withBody = answer.status !== 304 && answer.status !== 204 && method !== 'HEAD';
      res.writeHead(answer.status, {
        ...headers,
        ...(withBody && { 'content-length': String(Buffer.byteLength(text)) }),
      });
      res.end(withBody ? text : undefined);
    } catch (error) {
      if (gone.signal.aborted) return;
      const reason = failureReason(error, timeoutMs);
      answerJson(res, 502, { message: `Cannot reach the API at ${options.apiUrl} (${reason}).`, reason });
    }
  };
}

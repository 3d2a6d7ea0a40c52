/**
 * What `fleetwave dashboard` does with each request the browser sends: the
 * dashboard's own files from disk, and every other request forwarded to the
 * deployed API, signed with the user's AWS credentials.
 *
 * Because it signs, it must only ever sign what the dashboard itself asks:
 * a page of another site, or one on a domain rebound to 127.0.0.1, is
 * refused before anything else (`dashboard/serve/cross-site-guard.ts`); and
 * nothing is signed for a request without the session cookie of this run
 * (`session-token.ts`), which keeps out the machine's other users. Of the
 * browser's own headers only the few an API call needs go on; its cookies
 * (the session cookie among them) and any `Authorization` never do.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DashboardAssets } from '../../dashboard/serve/assets.js';
import { crossSiteRefusal } from '../../dashboard/serve/cross-site-guard.js';
import { networkReason } from '../api/client.js';
import type { FetchAnswer, HttpFetch } from '../api/http-fetch.js';
import { CliError } from '../errors.js';
import { answerJson } from './answer-json.js';
import { apiTarget, proxiedLocation } from './api-target.js';
import { answerSignIn, hasSessionCookie, signInMessage } from './session-token.js';

/** The largest request body forwarded: API Gateway's own payload limit. */
export const maxRequestBytes = 10 * 1024 * 1024;

/** Request headers an API call needs; nothing else of the browser's goes to AWS. */
const forwardedRequestHeaders = ['content-type', 'accept', 'if-none-match'] as const;

/**
 * Answer headers the dashboard reads (caching, created resources, throttling),
 * and API Gateway's error type and request id, which say what went wrong and
 * let AWS support find the request.
 */
const returnedAnswerHeaders = [
  'content-type',
  'etag',
  'cache-control',
  'retry-after',
  'x-amzn-errortype',
  'x-amzn-requestid',
] as const;

/** Set on every forwarded answer: no guessing a JSON body into HTML, and no other site may embed it. */
const answerHardening = {
  'x-content-type-options': 'nosniff',
  'cross-origin-resource-policy': 'same-origin',
} as const;

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
  /** This run's secret: requests the proxy would sign must carry it in the session cookie. */
  readonly token: string;
  readonly timeoutMs?: number;
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

function headersToForward(req: IncomingMessage, userAgent: string): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': userAgent };
  for (const name of forwardedRequestHeaders) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

/** The API's answer headers the page gets, a `Location` under the API's base turned into the proxy's path. */
function headersToReturn(answer: FetchAnswer, target: URL, apiUrl: string): Record<string, string> {
  const headers: Record<string, string> = { ...answerHardening };
  for (const name of returnedAnswerHeaders) {
    const value = answer.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  const location = answer.headers.get('location');
  if (location !== null) headers.location = proxiedLocation(location, target, apiUrl);
  return headers;
}

/** Why a request got no answer from the API, for the 502's message. */
function failureReason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer in ${timeoutMs / 1000} s`;
  // A credential chain that stopped finding credentials says so in a sentence of its own.
  return error instanceof CliError ? error.message : networkReason(error);
}

/** Sends the request to the API, signed, and passes its answer back (or a 502 saying why there is none). */
async function forward(
  req: IncomingMessage,
  res: ServerResponse,
  request: { target: URL; body: Buffer; upstream: AbortController },
  options: DashboardProxyOptions,
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const method = req.method ?? 'GET';
  const { upstream } = request;
  // A timer on the request's own controller, not `AbortSignal.any`: Node 20 may collect a combined
  // signal nobody holds strongly, and then the browser's going away would never reach the API call.
  const timer = setTimeout(
    () => upstream.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    timeoutMs,
  );
  try {
    const answer = await options.fetch(request.target, {
      method,
      headers: headersToForward(req, options.userAgent),
      // The bytes as the browser sent them: the signer hashes exactly what goes out, text or not.
      ...(request.body.length > 0 && { body: request.body }),
      signal: upstream.signal,
    });
    const text = await answer.text();
    const withBody = answer.status !== 304 && answer.status !== 204 && method !== 'HEAD';
    res.writeHead(answer.status, {
      ...headersToReturn(answer, request.target, options.apiUrl),
      ...(withBody && { 'content-length': String(Buffer.byteLength(text)) }),
    });
    res.end(withBody ? text : undefined);
  } catch (error) {
    // The browser went away: nobody to answer.
    if (res.destroyed) return;
    const reason = failureReason(error, timeoutMs);
    answerJson(res, 502, { message: `Cannot reach the API at ${options.apiUrl} (${reason}).`, reason });
  } finally {
    clearTimeout(timer);
  }
}

/** The request handler of the dashboard's server. */
export function dashboardProxy(
  options: DashboardProxyOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const refusal = crossSiteRefusal(req, '127.0.0.1', 'the dashboard proxy', { dashboardPages: true });
    if (refusal) {
      req.resume();
      return answerJson(res, 403, { message: refusal });
    }
    if (answerSignIn(req, res, options.token)) {
      req.resume();
      return;
    }
    const requestUrl = req.url ?? '/';
    if (/^\/_fleetwave(?:[/?]|$)/.test(requestUrl)) {
      req.resume();
      return answerJson(res, 404, { message: 'Local events and metrics exist only on the local stack.' });
    }
    // The dashboard's own files hold no secret: they are served to anyone who may reach the port.
    if (await options.assets(req, res)) return;
    if (!hasSessionCookie(req, options.token)) {
      req.resume();
      return answerJson(res, 401, { message: signInMessage });
    }
    const target = apiTarget(options.apiUrl, requestUrl);
    if (!target) {
      req.resume();
      return answerJson(res, 400, { message: 'The request names no path of the API.' });
    }
    // A browser that goes away (a closed tab, a poll replaced by the next) needs no answer; watched
    // from before the body is read, as it may go away in the middle of sending it.
    const upstream = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) upstream.abort();
    });
    let body: Buffer | undefined;
    try {
      body = await readBody(req);
    } catch (error) {
      if (upstream.signal.aborted || req.destroyed || res.destroyed) return;
      throw error;
    }
    if (body === undefined) {
      req.resume();
      return answerJson(res, 413, { message: `Request bodies are limited to ${maxRequestBytes} bytes.` });
    }
    await forward(req, res, { target, body, upstream }, options);
  };
}

/**
 * The fleetwave REST API over an {@link HttpFetch}. Every failure becomes a
 * {@link CliError}: nothing answering is {@link ApiUnreachableError} (with
 * what to do about it), an error answer is {@link ApiError} carrying the
 * API's `{code, message, details}`, and an answer that is not JSON is
 * {@link UnexpectedAnswerError}.
 */
import {
  ApiError,
  ApiUnreachableError,
  CliError,
  type FieldProblem,
  InterruptedError,
  UnexpectedAnswerError,
  UsageError,
} from '../errors.js';
import type { FetchAnswer, HttpFetch } from './http-fetch.js';

export interface ApiClientOptions {
  /** Base URL, e.g. `http://127.0.0.1:3000`; a path prefix (an API Gateway stage) is kept. */
  apiUrl: string;
  /** Sent as `Authorization: Bearer <token>` when set. */
  token?: string;
  fetch: HttpFetch;
  /** How long one request may take before the API counts as unreachable; 30 s by default. */
  timeoutMs?: number;
  /** Sent as `User-Agent`. */
  userAgent?: string;
}

export interface ApiRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path below the base URL, segments already encoded (use {@link pathOf}). */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Aborts the request (Ctrl-C): it then rejects with {@link InterruptedError}. */
  signal?: AbortSignal;
}

export interface ApiAnswer {
  status: number;
  headers: FetchAnswer['headers'];
  /** The parsed JSON body; undefined when the body is empty. */
  body: unknown;
}

/** Builds a path from literal and variable segments: `pathOf('releases', id, 'cancel')`. */
export function pathOf(...segments: string[]): string {
  return `/${segments.map(encodeURIComponent).join('/')}`;
}

/**
 * What went wrong with a request that got no answer, in a few words: the
 * network error code Node puts on `fetch`'s (possibly nested) `cause`, or
 * else the innermost message (`fetch failed` says nothing; its cause might).
 */
export function networkReason(error: unknown): string {
  let current: unknown = error;
  let message = error instanceof Error ? error.message : String(error);
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return reasonByCode[code] ?? code;
    message = current.message;
    current = current.cause;
  }
  return message;
}

const reasonByCode: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed',
  EPIPE: 'connection closed',
};

/** Parses and checks the base URL once, so a typo is a usage error and not a network error. */
export function normaliseApiUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--api-url must be an http(s) URL such as http://127.0.0.1:3000 (got '${raw}')`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--api-url must be an http(s) URL such as http://127.0.0.1:3000 (got '${raw}')`);
  return url.href.replace(/\/+$/, '');
}

function problemsOf(value: unknown): FieldProblem[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((d) =>
    typeof d === 'object' && d !== null && typeof (d as FieldProblem).message === 'string'
      ? [{ path: String((d as FieldProblem).path ?? ''), message: (d as FieldProblem).message }]
      : [],
  );
}

/** The error for a non-2xx answer: the API's own `{code, message, details}`, or a description of a foreign one. */
function errorOf(status: number, headers: FetchAnswer['headers'], text: string, apiUrl: string): ApiError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const retryAfter = Number(headers.get('retry-after') ?? Number.NaN);
  const retryAfterSeconds = Number.isFinite(retryAfter) ? retryAfter : undefined;
  if (typeof body === 'object' && body !== null) {
    const { code, message, details } = body as { code?: unknown; message?: unknown; details?: unknown };
    if (typeof message === 'string') {
      // API Gateway's own answers ({"message":"Not Found"}, {"message":"Forbidden"}) carry no code.
      const hint =
        typeof code === 'string'
          ? ''
          : status === 404
            ? ` (no such route at ${apiUrl}; is --api-url right?)`
            : status === 403
              ? ' (the request was not authorised; check your credentials)'
              : '';
      return new ApiError(
        status,
        typeof code === 'string' ? code : undefined,
        message + hint,
        problemsOf(details),
        retryAfterSeconds,
      );
    }
  }
  return new ApiError(
    status,
    undefined,
    `HTTP ${status} with a body that is not a fleetwave error; is ${apiUrl} the fleetwave API?`,
    [],
    retryAfterSeconds,
  );
}

/** A client for one API base URL and credentials. */
export class ApiClient {
  readonly apiUrl: string;
  constructor(private readonly options: ApiClientOptions) {
    this.apiUrl = normaliseApiUrl(options.apiUrl);
  }

  /** Sends one request; resolves with a 2xx answer, throws a CliError otherwise. */
  async send(request: ApiRequest): Promise<ApiAnswer> {
    const url = new URL(this.apiUrl + request.path);
    for (const [k, v] of Object.entries(request.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (this.options.userAgent) headers['user-agent'] = this.options.userAgent;
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    let response: FetchAnswer;
    let text: string;
    try {
      response = await this.options.fetch(url, {
        method: request.method,
        headers,
        ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
        signal: request.signal
          ? AbortSignal.any([request.signal, AbortSignal.timeout(timeoutMs)])
          : AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      if (request.signal?.aborted) throw new InterruptedError('interrupted');
      // Failing before sending (no credentials to sign with) is not the API's fault.
      if (error instanceof CliError) throw error;
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
        throw new ApiUnreachableError(this.apiUrl, `no answer within ${Math.round(timeoutMs / 1000)} s`);
      throw new ApiUnreachableError(this.apiUrl, networkReason(error));
    }
    if (!response.ok) throw errorOf(response.status, response.headers, text, this.apiUrl);
    if (text === '') return { status: response.status, headers: response.headers, body: undefined };
    try {
      return { status: response.status, headers: response.headers, body: JSON.parse(text) };
    } catch {
      throw new UnexpectedAnswerError(
        `${request.method} ${request.path} answered ${response.status} with a body that is not JSON; is ${this.apiUrl} the fleetwave API?`,
      );
    }
  }
}

/**
 * Calls to the REST API from the page, on relative paths, so the same page
 * works on the local stack's port and behind `fleetwave dashboard`.
 *
 * Reads are conditional: the last answer's `ETag` goes back as
 * `If-None-Match`, and a 304 keeps the answer already shown. An API without
 * ETags still works: an answer equal to the last one is reported unchanged,
 * so the page re-renders only on a change either way.
 */

const tokenKey = 'fleetwave.apiToken';

/** The bearer token the API asked for, kept for the tab's session only. */
function savedToken(): string | undefined {
  return sessionStorage.getItem(tokenKey) ?? undefined;
}

/** Keeps (or, with undefined, forgets) the bearer token for this tab. */
export function saveToken(token: string | undefined): void {
  if (token) sessionStorage.setItem(tokenKey, token);
  else sessionStorage.removeItem(tokenKey);
}

/** An answer other than 2xx/304: its status and the API's own message. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const unauthorizedListeners = new Set<() => void>();

/** Calls `listener` whenever the API answers 401 (the page then asks for the token). */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const token = savedToken();
  return { accept: 'application/json', ...(token && { authorization: `Bearer ${token}` }), ...extra };
}

async function failure(res: Response): Promise<ApiError> {
  if (res.status === 401) for (const listener of unauthorizedListeners) listener();
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as { message?: unknown };
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // Not JSON: the status line says enough.
  }
  return new ApiError(res.status, message);
}

interface Cached {
  etag: string | undefined;
  text: string;
  value: unknown;
}

const cache = new Map<string, Cached>();

/**
 * The API's own time as of its last answer (its `Date` header; the local
 * stack sends its virtual clock's, as API Gateway sends its own). A
 * countdown counts from it, not from the browser's clock.
 */
let apiTime: number | undefined;

function noteApiTime(res: Response): void {
  const date = Date.parse(res.headers.get('date') ?? '');
  if (!Number.isNaN(date)) apiTime = date;
}

/** The API's time as of its last answer (ms since the epoch); the browser's until the API answered. */
export function lastApiTime(): number {
  return apiTime ?? Date.now();
}

/** A read's outcome: the value, and whether it differs from the last one read at the same path. */
export interface Read<T> {
  value: T;
  changed: boolean;
}

/** GET `path` as JSON, conditionally on the last answer read at the same path. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<Read<T>> {
  const last = cache.get(path);
  const res = await fetch(path, {
    headers: headers(last?.etag ? { 'if-none-match': last.etag } : {}),
    cache: 'no-store',
    ...(signal && { signal }),
  });
  noteApiTime(res);
  if (res.status === 304 && last) return { value: last.value as T, changed: false };
  if (!res.ok) throw await failure(res);
  const text = await res.text();
  if (last && last.text === text) {
    last.etag = res.headers.get('etag') ?? undefined;
    return { value: last.value as T, changed: false };
  }
  const value = JSON.parse(text) as T;
  cache.set(path, { etag: res.headers.get('etag') ?? undefined, text, value });
  return { value, changed: true };
}

/**
 * POST `body` as JSON to `path`; the answer's JSON, or an {@link ApiError} with the API's message.
 * An `idempotencyKey` makes a repeat of the same request (a second click, a retried send) one action.
 */
export async function postJson<T>(path: string, body: object, idempotencyKey?: string): Promise<T> {
  const res = await fetch(path, {
    method: 'POST',
    headers: headers({
      'content-type': 'application/json',
      ...(idempotencyKey && { 'idempotency-key': idempotencyKey }),
    }),
    body: JSON.stringify(body),
  });
  noteApiTime(res);
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

/** `path` with the query's defined, non-empty members. */
export function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const q = params.toString();
  return q ? `${path}?${q}` : path;
}

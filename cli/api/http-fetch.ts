/**
 * The part of `fetch` the API client uses, over `node:http` / `node:https`.
 *
 * Why not Node's global `fetch`: on Node 20 its first call loads undici and
 * compiles its HTTP parser (WebAssembly), which takes longer than all the
 * rest of a `fleetwave releases list` (docs/PERFORMANCE.md, "CLI start").
 * `node:http` is part of Node itself and is loaded here only when a command
 * sends a request, so `--version` and `--help` never pay for it. The global
 * `fetch` still fits {@link HttpFetch}, and tests pass fakes of it.
 */

/** What a request carries: the client always sets a signal (its timeout, and Ctrl-C). */
interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  signal: AbortSignal;
}

/** What the client reads from an answer; a `Response` is one. */
export interface FetchAnswer {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** Sends one request; rejects on a network error, or with the signal's reason once it aborts. */
export type HttpFetch = (url: URL, init: FetchInit) => Promise<FetchAnswer>;

/** The {@link HttpFetch} of the real process. */
export const httpFetch: HttpFetch = async (url, init) => {
  const { request } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  // An aborted request fails with Node's own AbortError; the caller wants the reason (a timeout or Ctrl-C).
  const failure = (error: unknown) => (init.signal.aborted ? init.signal.reason : error);
  return new Promise<FetchAnswer>((resolve, reject) => {
    const sent = request(url, { method: init.method, headers: init.headers, signal: init.signal }, (res) => {
      const body = new Promise<string>((done, fail) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
        res.on('error', (error) => fail(failure(error)));
      });
      // Read, or not, by the caller; a failure nobody reads must not end the process.
      body.catch(() => undefined);
      const status = res.statusCode ?? 0;
      resolve({
        status,
        ok: status >= 200 && status < 300,
        headers: {
          get: (name) => {
            const value = res.headers[name.toLowerCase()];
            if (value === undefined) return null;
            return Array.isArray(value) ? value.join(', ') : value;
          },
        },
        text: () => body,
      });
    });
    sent.on('error', (error) => reject(failure(error)));
    sent.end(init.body);
  });
};

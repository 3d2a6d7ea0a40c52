/**
 * A {@link CliIo} for tests: captures stdout and stderr, reads a given stdin,
 * sleeps without waiting (or as the test says), and lets the test press Ctrl-C.
 */
import type { CliIo } from '../../../../cli/io.js';
import { runCli } from '../../../../cli/run.js';

export interface FakeIoOptions {
  /** stdout (and stderr) is a terminal. */
  tty?: boolean;
  columns?: number;
  env?: Record<string, string | undefined>;
  stdin?: string;
  /** Called for every sleep instead of waiting; default: resolves at once and moves `now` on. */
  sleep?: (ms: number) => Promise<void>;
  fetch?: CliIo['fetch'];
}

export interface FakeIo extends CliIo {
  readonly out: string;
  readonly err: string;
  /** Presses Ctrl-C. */
  interrupt(): void;
  /** The sleeps asked for, in ms. */
  readonly sleeps: number[];
}

export function fakeIo(options: FakeIoOptions = {}): FakeIo {
  let out = '';
  let err = '';
  let now = Date.UTC(2026, 10, 26, 7, 30, 0);
  const sleeps: number[] = [];
  const listeners = new Set<() => void>();
  const tty = options.tty ?? false;
  return {
    stdout: {
      write: (t) => {
        out += t;
      },
      isTTY: tty,
      columns: options.columns ?? 100,
    },
    stderr: {
      write: (t) => {
        err += t;
      },
      isTTY: tty,
      columns: options.columns ?? 100,
    },
    env: options.env ?? {},
    readStdin: async () => options.stdin ?? '',
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
      await options.sleep?.(ms);
    },
    now: () => now,
    onInterrupt: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    fetch:
      options.fetch ??
      (async () => {
        throw new Error('this test makes no HTTP calls');
      }),
    get out() {
      return out;
    },
    get err() {
      return err;
    },
    interrupt: () => {
      for (const l of listeners) l();
    },
    sleeps,
  };
}

/** Runs the CLI with `argv` on a fake io; returns the exit code and what was written. */
export async function run(argv: string[], options: FakeIoOptions = {}) {
  const io = fakeIo(options);
  const code = await runCli(argv, io);
  return { code, out: io.out, err: io.err, io };
}

/** A fetch that answers from `handler` (method, path with query, parsed body, headers) without a network. */
export function fakeFetch(
  handler: (request: { method: string; path: string; url: URL; body: unknown; headers: Headers }) => {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
  },
): typeof fetch & { calls: { method: string; path: string; body: unknown; headers: Headers }[] } {
  const calls: { method: string; path: string; body: unknown; headers: Headers }[] = [];
  const f = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const headers = new Headers(init?.headers);
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    const method = init?.method ?? 'GET';
    const path = url.pathname + url.search;
    calls.push({ method, path, body, headers });
    const answer = handler({ method, path, url, body, headers });
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': 'application/json', ...answer.headers },
    });
  };
  return Object.assign(f as typeof fetch, { calls });
}

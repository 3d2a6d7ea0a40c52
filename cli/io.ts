/**
 * Everything the CLI touches outside itself, in one object: the two output
 * streams, the environment, stdin, time and interrupts. `main.ts` passes the
 * real process; tests pass a fake and read what was written.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { type HttpFetch, httpFetch } from './api/http-fetch.js';

/** A place to write text: stdout or stderr. */
export interface OutputStream {
  write(text: string): void;
  /** True when a person is looking at it (a terminal): progress bars, colours, redraws. */
  readonly isTTY: boolean;
  /** Width of the terminal, when known. */
  readonly columns?: number;
}

export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads all of standard input (for `-f -`). */
  readStdin(): Promise<string>;
  /** Waits `ms` of real time; resolves early (without error) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Wall-clock epoch milliseconds. */
  now(): number;
  /** Calls `listener` on Ctrl-C (SIGINT) until the returned function is called. */
  onInterrupt(listener: () => void): () => void;
  /** The HTTP client: {@link httpFetch} (node:http) unless a test swaps it. */
  readonly fetch: HttpFetch;
}

function streamOf(stream: NodeJS.WriteStream): OutputStream {
  return {
    write: (text) => {
      stream.write(text);
    },
    get isTTY() {
      return stream.isTTY === true;
    },
    get columns() {
      return stream.columns;
    },
  };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** The real process: its streams, environment, stdin, timers and SIGINT. */
export function processIo(): CliIo {
  return {
    stdout: streamOf(process.stdout),
    stderr: streamOf(process.stderr),
    env: process.env,
    readStdin: () => readAll(process.stdin),
    sleep: (ms, signal) => delay(ms, undefined, { signal }).catch(() => undefined),
    now: () => Date.now(),
    onInterrupt: (listener) => {
      process.on('SIGINT', listener);
      return () => process.off('SIGINT', listener);
    },
    fetch: httpFetch,
  };
}

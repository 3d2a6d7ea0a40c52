/**
 * Runs {@link LoadSpec} loads from a second process (`load-generator.ts`),
 * and the same kind of figures for an in-process loop (the "plain SDK"
 * references), so benchmarks compare like with like.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LoadResult, type LoadSpec, timedLoad } from './load-generator.js';

export type { LoadResult, LoadSpec } from './load-generator.js';

const generator = join(dirname(fileURLToPath(import.meta.url)), 'load-generator.ts');

/** Figures, and the CPU time this process spent per answer (warm-up included): its own cost of a request. */
export type MeasuredLoad = LoadResult & { cpuUsPerRequest: number };

function withCpu(started: NodeJS.CpuUsage, result: LoadResult): MeasuredLoad {
  const used = process.cpuUsage(started);
  return { ...result, cpuUsPerRequest: (used.user + used.system) / Math.max(1, result.answered) };
}

/**
 * Runs `spec` in a child Node process; resolves with its figures and the CPU
 * this process (the server) spent per request meanwhile.
 */
export async function loadFromChild(spec: LoadSpec): Promise<MeasuredLoad> {
  const started = process.cpuUsage();
  return withCpu(started, await runChild(spec));
}

function runChild(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', generator, JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`load generator exited ${code}: ${out}`));
      else resolve(JSON.parse(line) as LoadResult);
    });
  });
}

/** Runs `call` from `concurrency` loops in this process for `durationMs` (after a warm-up). */
export async function loadInProcess(
  call: (n: number) => Promise<unknown>,
  options: { concurrency: number; durationMs: number; warmupMs?: number },
): Promise<MeasuredLoad> {
  const started = process.cpuUsage();
  return withCpu(
    started,
    await timedLoad(call, {
      workers: options.concurrency,
      durationMs: options.durationMs,
      ...(options.warmupMs !== undefined && { warmupMs: options.warmupMs }),
    }),
  );
}

/** A bare `node:http` server answering every request with `body` (JSON); the floor of any HTTP figure. */
export function startBareServer(body: object): Promise<{ url: string; close(): Promise<void> }> {
  const text = JSON.stringify(body);
  return startCallServer(async () => text);
}

/**
 * A bare `node:http` server that, for each request, runs `call` with the
 * request body and answers 200 with the JSON text it resolves to (500 when it
 * throws). With `call` making a handler's SDK requests directly, loaded from
 * the same second process, it is the plain SDK reference that receives its
 * load over HTTP exactly as the handler does.
 */
export async function startCallServer(
  call: (body: string) => Promise<string>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      call(Buffer.concat(chunks).toString('utf8')).then(
        (text) => {
          res.writeHead(200, {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(text),
          });
          res.end(text);
        },
        () => {
          res.writeHead(500, { 'content-length': 0 });
          res.end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** `| a | b |` */
export function row(cells: readonly (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** Throughput, p50, p99 and errors of a result, for a table row. */
export function figures(r: LoadResult): string[] {
  return [r.perSecond.toFixed(0), r.p50Ms.toFixed(2), r.p99Ms.toFixed(2), String(r.errors + r.non2xx)];
}

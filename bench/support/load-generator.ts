/**
 * A small HTTP load generator meant to run in its OWN process (so the load
 * does not share an event loop with the server it measures): `connections`
 * keep-alive connections, each sending its next request as soon as the
 * previous answer arrived, for `durationMs`. Prints one JSON line with the
 * count, errors, throughput and latency percentiles.
 *
 *   node --import tsx bench/support/load-generator.ts '<json LoadSpec>'
 *
 * `{n}` in the path or the body becomes a number unique to the request, so
 * every POST can create a new resource.
 */
import { Agent, request } from 'node:http';

export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
  connections: number;
  durationMs: number;
  /** Requests sent before measuring starts (connections opened, code warmed). */
  warmupMs?: number;
}

export interface LoadResult {
  /** Answers counted (after the warm-up). */
  requests: number;
  /** Every answer, warm-up included. */
  answered: number;
  errors: number;
  /** Answers with a status other than 2xx. */
  non2xx: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** The percentile `p` (0–100) of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
  const target = new URL(spec.url);
  const once = (seq: number) =>
    new Promise<number>((resolve, reject) => {
      const n = String(process.pid * 1_000_000 + seq);
      const body = spec.body?.replaceAll('{n}', n);
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: spec.method,
          path: spec.path.replaceAll('{n}', n),
          headers: {
            ...(body !== undefined && {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            }),
            ...spec.headers,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const result = await timedLoad(once, {
    workers: spec.connections,
    durationMs: spec.durationMs,
    ...(spec.warmupMs !== undefined && { warmupMs: spec.warmupMs }),
  });
  agent.destroy();
  return result;
}

/**
 * Runs `once` from `workers` loops, each starting its next call when the last
 * ended, for `durationMs` after a warm-up (`warmupMs`, default 1 s) whose
 * answers are not measured. `once` resolves with an HTTP status (anything
 * outside 2xx counts in `non2xx`) or with nothing (a call that is not HTTP).
 */
export async function timedLoad(
  once: (n: number) => Promise<number | unknown>,
  options: { workers: number; durationMs: number; warmupMs?: number },
): Promise<LoadResult> {
  let seq = 0;
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let answered = 0;
  const warmupEnds = performance.now() + (options.warmupMs ?? 1000);
  const ends = warmupEnds + options.durationMs;
  const worker = async () => {
    while (performance.now() < ends) {
      const start = performance.now();
      try {
        const status = await once(seq++);
        answered++;
        if (start >= warmupEnds) {
          latencies.push(performance.now() - start);
          if (typeof status === 'number' && (status < 200 || status > 299)) non2xx++;
        }
      } catch {
        if (start >= warmupEnds) errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.workers }, worker));
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    answered,
    errors,
    non2xx,
    perSecond: latencies.length / (options.durationMs / 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.at(-1) ?? 0,
  };
}

if (process.argv[1]?.endsWith('load-generator.ts')) {
  const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
  console.log(JSON.stringify(await run(spec)));
}

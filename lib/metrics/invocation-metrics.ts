/**
 * The metrics of one Lambda invocation: every entry point (HTTP route,
 * workflow task, event trigger) runs its work inside
 * {@link withInvocationMetrics}, which gathers what the use cases and
 * adapters add through {@link invocationMetrics} and writes it once when the
 * invocation ends, also when it throws (what happened before the error did
 * happen, and a retry will not count it again: see measured-release-store.ts).
 *
 * Values added outside an invocation (the CLI, a benchmark, a unit test of
 * a use case) are dropped.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { config } from '../config.js';
import { logger } from '../logger.js';
import { type EmfOutput, type MetricValue, writeEmf } from './emf-writer.js';
import type { MetricsPort } from './port.js';

const storage = new AsyncLocalStorage<MetricValue[]>();

/** Where the lines go; undefined: Powertools' stdout, as on Lambda. */
let output: EmfOutput | undefined;

/**
 * Sends every EMF line to `next` instead of stdout (undefined: stdout
 * again). The local stack, which runs the handlers in its own process,
 * keeps the lines this way; on Lambda nothing calls it.
 */
export function setEmfOutput(next: EmfOutput | undefined): void {
  output = next;
}

/** The port over the current invocation's metrics. */
export const invocationMetrics: MetricsPort = {
  add(name, value, details) {
    const values = storage.getStore();
    if (!values) return;
    // EMF has no NaN or Infinity (JSON writes them as null, which CloudWatch rejects with the whole line).
    if (!Number.isFinite(value)) {
      logger().warn('metric value skipped: not a finite number', { metric: name, value: String(value) });
      return;
    }
    values.push({
      name,
      value,
      dimensions: details.dimensions ?? {},
      properties: details.properties ?? {},
    });
  },
};

/** Runs `run` as one invocation and writes its metrics when it ends, however it ends. */
export async function withInvocationMetrics<T>(run: () => Promise<T>): Promise<T> {
  const values: MetricValue[] = [];
  try {
    return await storage.run(values, run);
  } finally {
    flush(values);
  }
}

function flush(values: readonly MetricValue[]): void {
  if (values.length === 0) return;
  let stage: string;
  try {
    stage = config().stage;
  } catch {
    // A bad environment fails the invocation itself, naming the variable; its metrics go with it
    // (the logger, built from the same configuration, cannot say so). Metrics never change an answer.
    return;
  }
  // Each record is written on its own, a failure logged (emf-writer.ts): this never throws.
  writeEmf(values, { stage, output });
}

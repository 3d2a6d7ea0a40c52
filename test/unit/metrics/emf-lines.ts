/**
 * Captures the EMF lines invocations write, for the metrics tests: sets the
 * metrics output to an array and puts stdout back afterwards.
 */
import { afterEach, beforeEach } from 'vitest';
import { setEmfOutput } from '../../../lib/metrics/invocation-metrics.js';

/** EMF records as JSON objects. */
export type EmfJson = Record<string, unknown> & {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
};

/** The lines written since the test began, newest last (cleared before each test). */
export function capturedEmf(): {
  lines: string[];
  records: () => EmfJson[];
  values: (name: string) => number[];
} {
  const lines: string[] = [];
  beforeEach(() => {
    lines.length = 0;
    setEmfOutput((line) => lines.push(line));
  });
  afterEach(() => setEmfOutput(undefined));
  const records = () => lines.map((l) => JSON.parse(l) as EmfJson);
  const values = (name: string) =>
    records().flatMap((r) => {
      const v = r[name];
      return v === undefined ? [] : Array.isArray(v) ? (v as number[]) : [v as number];
    });
  return { lines, records, values };
}

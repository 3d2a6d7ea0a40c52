/**
 * Captures the EMF lines invocations write, for the metrics tests: sets the
 * metrics output to an array and puts stdout back afterwards; the stage the
 * lines carry is {@link TEST_STAGE} (with a region, the configuration's one
 * required variable, and a silent logger).
 */
import { afterEach, beforeEach } from 'vitest';
import { resetConfig } from '../../../lib/config.js';
import { setEmfOutput } from '../../../lib/metrics/invocation-metrics.js';

/** The `FLEETWAVE_STAGE` of the captured lines. */
export const TEST_STAGE = 'unit-test';

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
  let savedEnv: NodeJS.ProcessEnv = {};
  beforeEach(() => {
    savedEnv = { ...process.env };
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      FLEETWAVE_STAGE: TEST_STAGE,
    });
    resetConfig();
    lines.length = 0;
    setEmfOutput((line) => lines.push(line));
  });
  afterEach(() => {
    setEmfOutput(undefined);
    process.env = savedEnv;
    resetConfig();
  });
  const records = () => lines.map((l) => JSON.parse(l) as EmfJson);
  const values = (name: string) =>
    records().flatMap((r) => {
      const v = r[name];
      return v === undefined ? [] : Array.isArray(v) ? (v as number[]) : [v as number];
    });
  return { lines, records, values };
}

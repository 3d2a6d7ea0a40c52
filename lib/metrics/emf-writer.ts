/**
 * Writes an invocation's metric values as CloudWatch Embedded Metric Format
 * lines through Powertools Metrics. Values sharing their dimensions and
 * properties share a line (one EMF record holds one dimension set and one
 * set of properties); a metric added more than once in a line becomes an
 * array of values, which CloudWatch counts value by value.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logger } from '../logger.js';
import {
  METRICS_NAMESPACE,
  METRICS_SERVICE,
  type MetricName,
  metricCatalog,
  STAGE_DIMENSION,
} from './catalog.js';

/** One value as a use case or an adapter added it. */
export interface MetricValue {
  name: MetricName;
  value: number;
  dimensions: Readonly<Record<string, string>>;
  properties: Readonly<Record<string, string>>;
}

/** Takes one EMF line (JSON, no newline). */
export type EmfOutput = (line: string) => void;

/**
 * Values of one metric per line, at most. Powertools writes a line to its
 * own stdout by itself when a metric reaches 100 values; staying below
 * keeps every line going where it was asked to.
 */
const MAX_VALUES_PER_METRIC = 99;

/** Where and for which stage the lines are written. */
export interface EmfTarget {
  /** The deployment stage, the `stage` dimension of every value (besides `service`). */
  stage: string;
  /** Takes each line; absent: Powertools prints it to stdout. */
  output?: EmfOutput | undefined;
}

/**
 * Writes `values` as EMF lines: to `target.output` when given (the same JSON
 * Powertools would print), else through Powertools' own `publishStoredMetrics`
 * to stdout, where Lambda's log agent turns the lines into metrics. Each
 * group is written on its own: one that Powertools refuses does not take the
 * others with it.
 */
export function writeEmf(values: readonly MetricValue[], target: EmfTarget): void {
  for (const group of groupsOf(values)) {
    try {
      writeGroup(group, target);
    } catch (error) {
      // Metrics must never change what an invocation answers.
      logger().warn('metrics not written', {
        metrics: [...new Set(group.map((v) => v.name))],
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

/** Values grouped by their dimensions and properties, in the order first seen. */
function groupsOf(values: readonly MetricValue[]): MetricValue[][] {
  const groups = new Map<string, MetricValue[]>();
  for (const value of values) {
    const key = JSON.stringify([value.dimensions, value.properties]);
    const group = groups.get(key);
    if (group) group.push(value);
    else groups.set(key, [value]);
  }
  return [...groups.values()];
}

function writeGroup(group: readonly MetricValue[], { stage, output }: EmfTarget): void {
  const [first] = group;
  if (!first) return;
  let metrics = recordFor(first, stage);
  const perName = new Map<MetricName, number>();
  for (const { name, value } of group) {
    if ((perName.get(name) ?? 0) >= MAX_VALUES_PER_METRIC) {
      publish(metrics, output);
      metrics = recordFor(first, stage);
      perName.clear();
    }
    metrics.addMetric(name, metricCatalog[name].unit, value);
    perName.set(name, (perName.get(name) ?? 0) + 1);
  }
  publish(metrics, output);
}

/** A Powertools record with the group's namespace, service, stage, dimensions and properties. */
function recordFor({ dimensions, properties }: MetricValue, stage: string): Metrics {
  const metrics = new Metrics({
    namespace: METRICS_NAMESPACE,
    serviceName: METRICS_SERVICE,
    defaultDimensions: { [STAGE_DIMENSION]: stage },
  });
  if (Object.keys(dimensions).length > 0) metrics.addDimensions({ ...dimensions });
  for (const [key, value] of Object.entries(properties)) metrics.addMetadata(key, value);
  return metrics;
}

function publish(metrics: Metrics, output: EmfOutput | undefined): void {
  if (!output) {
    metrics.publishStoredMetrics();
    return;
  }
  const line = JSON.stringify(metrics.serializeMetrics());
  metrics.clearMetrics();
  metrics.clearDimensions();
  metrics.clearMetadata();
  output(line);
}

/**
 * Reads a CloudWatch Embedded Metric Format line into what the local
 * metrics view lists: the directive's namespace, dimensions and metrics,
 * each metric's unit and values, and the record's other members (its
 * properties). One item per `CloudWatchMetrics` directive, as CloudWatch
 * extracts them; a line that is not EMF gives none.
 */

/** One metric of a record: its values (an EMF array is several values, counted one by one). */
interface EmfMetric {
  name: string;
  unit: string;
  values: number[];
}

/** One EMF directive as the local stack lists it. */
export interface EmfItem {
  /** `_aws.Timestamp`, as ISO-8601. */
  timestamp: string;
  namespace: string;
  /** Every dimension the directive names, with its value in the record. */
  dimensions: Record<string, string>;
  /** The directive's dimension sets, as written. */
  dimensionSets: string[][];
  metrics: EmfMetric[];
  /** The record's members that are neither metrics nor dimensions (Powertools' metadata). */
  properties: Record<string, unknown>;
  /** The line as the handler wrote it. */
  raw: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

const numbers = (value: unknown): number[] =>
  (Array.isArray(value) ? value : [value]).filter((v): v is number => typeof v === 'number');

/** The items of one EMF line; empty for a line that is not an EMF record. */
export function parseEmfLine(raw: string): EmfItem[] {
  let record: unknown;
  try {
    record = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!isObject(record) || !isObject(record._aws)) return [];
  const { Timestamp, CloudWatchMetrics } = record._aws;
  if (typeof Timestamp !== 'number' || !Array.isArray(CloudWatchMetrics)) return [];
  const timestamp = new Date(Timestamp).toISOString();
  return CloudWatchMetrics.filter(isObject).map((directive) => {
    const dimensionSets = (Array.isArray(directive.Dimensions) ? directive.Dimensions : []).map(strings);
    const dimensionNames = new Set(dimensionSets.flat());
    const metrics = (Array.isArray(directive.Metrics) ? directive.Metrics : [])
      .filter(isObject)
      .filter((m): m is Record<string, unknown> & { Name: string } => typeof m.Name === 'string')
      .map((m) => ({
        name: m.Name,
        unit: typeof m.Unit === 'string' ? m.Unit : 'None',
        values: numbers(record[m.Name]),
      }));
    const metricNames = new Set(metrics.map((m) => m.name));
    const dimensions: Record<string, string> = {};
    const properties: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      if (key === '_aws' || metricNames.has(key)) continue;
      if (dimensionNames.has(key)) dimensions[key] = String(value);
      else properties[key] = value;
    }
    return {
      timestamp,
      namespace: typeof directive.Namespace === 'string' ? directive.Namespace : '',
      dimensions,
      dimensionSets,
      metrics,
      properties,
      raw,
    };
  });
}

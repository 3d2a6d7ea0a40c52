/**
 * The port through which use cases and adapters emit metrics. Units come
 * from the catalogue, never from the caller; properties (a release id, an
 * API name) travel with the value for searching, not as dimensions.
 */
import type { DimensionName, MetricName } from './catalog.js';

/** Values of a record's properties (EMF metadata): strings, as Powertools takes them. */
type MetricProperties = Readonly<Record<string, string>>;

/** What goes with one value: its dimensions (when its metric has some) and its properties. */
type MetricDetails<N extends MetricName> = { properties?: MetricProperties } & ([DimensionName<N>] extends [
  never,
]
  ? { dimensions?: undefined }
  : { dimensions: Readonly<Record<DimensionName<N>, string>> });

export interface MetricsPort {
  /** Adds one value of metric `name` to what the current invocation emits. */
  add<N extends MetricName>(name: N, value: number, details: MetricDetails<N>): void;
}

/**
 * Every metric fleetwave emits, with its unit and dimensions: the one list
 * the code emits from and the deployed dashboard and alarms are checked
 * against, so a renamed metric cannot leave a graph or an alarm watching
 * nothing. docs/metrics.md describes each.
 *
 * Dimensions stay few and low-cardinality (each combination is a separate,
 * billed CloudWatch metric): never a release id or a thing name. Those go
 * in each record's properties (EMF metadata), searchable in Logs Insights.
 */
import type { MetricUnit } from '@aws-lambda-powertools/metrics';

/** The CloudWatch namespace of every fleetwave metric. */
export const METRICS_NAMESPACE = 'fleetwave';

/** The `service` dimension Powertools adds to every metric (a default dimension, with `stage`). */
export const METRICS_SERVICE = 'fleetwave';

/** The name of the dimension carrying {@link METRICS_SERVICE}. */
export const SERVICE_DIMENSION = 'service';

/**
 * The name of the dimension carrying the deployment stage (`FLEETWAVE_STAGE`),
 * on every metric after `service`: each stage's dashboard and alarms read
 * only that stage's values.
 */
export const STAGE_DIMENSION = 'stage';

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

interface MetricDefinition {
  unit: Unit;
  /** Dimensions besides `service` and `stage`, in the order the record names them. */
  dimensions: readonly string[];
}

export const metricCatalog = {
  /** A new release stored (an API call, a webhook, an EventBridge request, a retry or rollback); not a repeat. */
  ReleasesRequested: { unit: 'Count', dimensions: [] },
  /** A release moved to IN_PROGRESS from PENDING or SCHEDULED. */
  ReleasesStarted: { unit: 'Count', dimensions: [] },
  ReleasesSucceeded: { unit: 'Count', dimensions: [] },
  ReleasesFailed: { unit: 'Count', dimensions: [] },
  ReleasesCanceled: { unit: 'Count', dimensions: [] },
  /** From a wave's start to its end; `Outcome` is the wave's final status. */
  WaveDuration: { unit: 'Seconds', dimensions: ['Outcome'] },
  /** The ended wave's SUCCEEDED executions. */
  WaveDevicesSucceeded: { unit: 'Count', dimensions: [] },
  /** The ended wave's FAILED, REJECTED and TIMED_OUT executions (what its failure threshold counts). */
  WaveDevicesFailed: { unit: 'Count', dimensions: [] },
  /** A `ThrottlingException` AWS IoT answered (each attempt, retries included). */
  IotThrottles: { unit: 'Count', dimensions: [] },
  /** A workflow task that ended to wait for its slot in the IoT call budget. */
  IotCallBudgetWaits: { unit: 'Count', dimensions: [] },
  /** How long that task waits for its slot. */
  IotCallBudgetWaitTime: { unit: 'Milliseconds', dimensions: [] },
} as const satisfies Record<string, MetricDefinition>;

export type MetricName = keyof typeof metricCatalog;

/** The dimensions (besides `service` and `stage`) metric `N` is emitted with. */
export type DimensionName<N extends MetricName> = (typeof metricCatalog)[N]['dimensions'][number];

/** The names of every metric, in catalogue order. */
export const metricNames = Object.keys(metricCatalog) as MetricName[];

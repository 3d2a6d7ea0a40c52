/**
 * The release metrics, counted where a release or a wave really changes:
 * the release store's conditional writes.
 *
 * Why here, and why once: every status change is one conditional write,
 * and the store answers `changed: true` only to the call that made it. A
 * workflow task retried after a partial failure (say FailWave recorded the
 * release FAILED, then its EventBridge publish threw) finds the change in
 * place and gets `changed: false`, so it adds nothing; two concurrent
 * writers cannot both get `true`. With the invocation's metrics written
 * also when it throws, each change is counted once. The one way to miss
 * one: the Lambda dies (a timeout) between the write and the end of the
 * invocation, or a write's answer is lost and the SDK's retry finds it
 * done; then it is not counted at all, never twice.
 */
import type { Release, WaveState } from '../domain/release.js';
import type { Changed, ReleaseStore } from '../domain/release-store.js';
import { isTerminalWaveStatus } from '../domain/statuses.js';
import type { MetricName } from './catalog.js';
import { invocationMetrics } from './invocation-metrics.js';
import type { MetricsPort } from './port.js';

/** The release metrics: counts without dimensions. */
type ReleaseMetric = Extract<
  MetricName,
  'ReleasesStarted' | 'ReleasesSucceeded' | 'ReleasesFailed' | 'ReleasesCanceled'
>;

/** The release metric a move to `release.status` counts, if any. */
function releaseMetricOf(release: Release): ReleaseMetric | undefined {
  switch (release.status) {
    case 'SUCCEEDED':
      return 'ReleasesSucceeded';
    case 'FAILED':
      return 'ReleasesFailed';
    case 'CANCELED':
      return 'ReleasesCanceled';
    case 'IN_PROGRESS':
      // Not a return from an approval gate or a pause: only the start itself.
      return release.previousStatus === 'PENDING' || release.previousStatus === 'SCHEDULED'
        ? 'ReleasesStarted'
        : undefined;
    default:
      return undefined;
  }
}

/** Counts an ended wave: its duration by outcome, and its final device counts. */
function countWaveEnd(metrics: MetricsPort, wave: WaveState): void {
  // A wave canceled before it started has no duration and no devices.
  if (!isTerminalWaveStatus(wave.status) || wave.startedAt === undefined) return;
  const endedAt = Date.parse(wave.finishedAt ?? wave.updatedAt ?? wave.startedAt);
  const seconds = Math.max(0, (endedAt - Date.parse(wave.startedAt)) / 1000);
  const properties = {
    releaseId: wave.releaseId,
    waveNumber: String(wave.waveNumber),
    waveStatus: wave.status,
  };
  metrics.add('WaveDuration', seconds, { dimensions: { Outcome: wave.status }, properties });
  const counts = wave.counts;
  metrics.add('WaveDevicesSucceeded', counts?.numberOfSucceededThings ?? 0, { properties });
  const failed = counts
    ? counts.numberOfFailedThings + counts.numberOfRejectedThings + counts.numberOfTimedOutThings
    : 0;
  metrics.add('WaveDevicesFailed', failed, { properties });
}

/** Wraps a change method: `seen` gets the stored value when this call made the change. */
function observed<A extends unknown[], T>(
  change: (...args: A) => Promise<Changed<T>>,
  seen: (value: T) => void,
): (...args: A) => Promise<Changed<T>> {
  return async (...args) => {
    const result = await change(...args);
    if (result.changed) seen(result.value);
    return result;
  };
}

/** `store`, counting the releases requested, started and ended, and the waves ended, into `metrics`. */
export function measuredReleaseStore(
  store: ReleaseStore,
  metrics: MetricsPort = invocationMetrics,
): ReleaseStore {
  const releaseMoved = (release: Release) => {
    const name = releaseMetricOf(release);
    if (name) metrics.add(name, 1, { properties: { releaseId: release.releaseId } });
  };
  const waveMoved = (wave: WaveState) => countWaveEnd(metrics, wave);
  const overrides: Partial<ReleaseStore> = {
    createRelease: observed(store.createRelease.bind(store), (release) =>
      metrics.add('ReleasesRequested', 1, { properties: { releaseId: release.releaseId } }),
    ),
    transitionRelease: observed(store.transitionRelease.bind(store), releaseMoved),
    transitionWave: observed(store.transitionWave.bind(store), waveMoved),
    finishWave: observed(store.finishWave.bind(store), waveMoved),
  };
  return new Proxy(store, {
    get(target, key) {
      if (typeof key === 'string' && key in overrides) return overrides[key as keyof ReleaseStore];
      const member: unknown = Reflect.get(target, key, target);
      // Bound to the store itself: a class's private fields are not reachable through the proxy.
      return typeof member === 'function' ? member.bind(target) : member;
    },
  });
}

/**
 * One wave as a horizontal bar stacked by execution status, in plain CSS
 * (widths in percent of the wave's things), with the success and failure
 * thresholds drawn as markers on it and the counts and shares beside.
 */
import { percent, shareOf } from '../format.js';
import type { JobProcessCounts, WaveDefinition, WaveView } from '../types.js';

/**
 * The bar's segments: successes grow from the left towards the success
 * marker, failures from the right towards the failure marker (measured from
 * the right end), so each threshold reads against the segment it limits.
 */
const segments: { key: keyof JobProcessCounts; label: string; css: string }[] = [
  { key: 'numberOfSucceededThings', label: 'succeeded', css: 'succeeded' },
  { key: 'numberOfInProgressThings', label: 'in progress', css: 'in-progress' },
  { key: 'numberOfQueuedThings', label: 'queued', css: 'queued' },
  { key: 'numberOfCanceledThings', label: 'canceled', css: 'canceled' },
  { key: 'numberOfRemovedThings', label: 'removed', css: 'removed' },
  { key: 'numberOfTimedOutThings', label: 'timed out', css: 'timed-out' },
  { key: 'numberOfRejectedThings', label: 'rejected', css: 'rejected' },
  { key: 'numberOfFailedThings', label: 'failed', css: 'failed' },
];

/**
 * The wave's things the counters know of, as the API counts them for its
 * shares: REMOVED executions left the target and are not among them.
 */
function countedThings(counts: JobProcessCounts | undefined): number {
  return segments.reduce((sum, s) => sum + (s.key === 'numberOfRemovedThings' ? 0 : (counts?.[s.key] ?? 0)), 0);
}

/** Wave `n`'s bar, counts and shares. */
export function WaveBar(props: { wave: WaveView; definition: WaveDefinition | undefined }) {
  const { wave, definition } = props;
  const counted = countedThings(wave.counts);
  const total = Math.max(wave.expectedThings ?? 0, counted);
  // One denominator for the bar, the legend and the header: the API's (its succeeded and failed percent).
  const share = (n: number) => shareOf(n, total);
  const all = segments.map((s) => ({ ...s, key: s.key as string, n: wave.counts?.[s.key] ?? 0 }));
  // Things not counted yet sit between the two ends, so failures stay at the right.
  all.splice(5, 0, { key: 'pending', label: 'not started', css: 'pending', n: total - counted });
  const parts = all.filter((s) => s.n > 0 && s.css !== 'removed');
  const removed = wave.counts?.numberOfRemovedThings ?? 0;
  const success = definition?.successThresholdPercent;
  const failure = definition?.failureThresholdPercent;
  const thresholds = [success, failure];
  const summary = parts.map((p) => `${p.n} ${p.label}`).join(', ') || 'no executions yet';
  return (
    <div class="wave" data-wave={wave.waveNumber} data-status={wave.status}>
      <div class="wave-head">
        <strong>Wave {wave.waveNumber}</strong>
        <span class={`status status-${wave.status}`}>{wave.status}</span>
        <span class="muted">
          {total > 0 ? `${total} things` : 'things not known yet'}
          {wave.succeededPercent !== undefined && ` · ${percent(wave.succeededPercent, thresholds)} succeeded`}
          {wave.failedPercent !== undefined && ` · ${percent(wave.failedPercent, thresholds)} failed`}
        </span>
      </div>
      <div
        class="bar"
        role="img"
        aria-label={`Wave ${wave.waveNumber}: ${summary}; success threshold ${success ?? '–'} %, failure threshold ${failure ?? '–'} %`}
      >
        {parts.map((p) => (
          <span
            key={p.key}
            class={`seg seg-${p.css}`}
            data-segment={p.css}
            style={{ width: `${share(p.n)}%` }}
            title={`${p.n} ${p.label} (${percent(share(p.n), thresholds)})`}
          />
        ))}
        {success !== undefined && (
          <span class="marker marker-success" style={{ left: `${success}%` }} title={`success at ${success} %`} />
        )}
        {failure !== undefined && (
          <span class="marker marker-failure" style={{ right: `${failure}%` }} title={`failure at ${failure} % (from the right)`} />
        )}
      </div>
      <ul class="legend">
        {parts.map((p) => (
          <li key={p.key}>
            <span class={`swatch seg-${p.css}`} aria-hidden="true" /> {p.label} {p.n} ({percent(share(p.n), thresholds)})
          </li>
        ))}
        {removed > 0 && (
          <li>
            <span class="swatch seg-removed" aria-hidden="true" /> removed {removed} (left the target; not in the shares)
          </li>
        )}
        {success !== undefined && (
          <li>
            <span class="swatch marker-success" aria-hidden="true" /> success threshold {success} %
          </li>
        )}
        {failure !== undefined && (
          <li>
            <span class="swatch marker-failure" aria-hidden="true" /> failure threshold {failure} %
          </li>
        )}
      </ul>
    </div>
  );
}

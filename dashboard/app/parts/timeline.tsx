/** The release's history, newest first, each item with who (or what) did it. */
import { time } from '../format.js';
import type { HistoryEventView } from '../types.js';

function what(e: HistoryEventView): string {
  switch (e.type) {
    case 'RELEASE_CREATED':
      return e.relatedReleaseId ? `Release created from ${e.relatedReleaseId}` : 'Release created';
    case 'RELEASE_STATUS_CHANGED':
      return `Release ${e.from ?? '–'} → ${e.to ?? '–'}`;
    case 'WAVE_STATUS_CHANGED':
      return `Wave ${e.waveNumber} ${e.from ?? '–'} → ${e.to ?? '–'}`;
    case 'WAVE_PROGRESS':
      return `Wave ${e.waveNumber} progress: ${e.counts?.numberOfSucceededThings ?? 0} succeeded, ${
        (e.counts?.numberOfFailedThings ?? 0) + (e.counts?.numberOfRejectedThings ?? 0) + (e.counts?.numberOfTimedOutThings ?? 0)
      } failed`;
    case 'NOTIFICATION':
      return `${e.notification?.detailType ?? 'Notification'} ${e.notification?.delivered ? 'sent' : 'not delivered'} (${e.notification?.channel ?? '?'})`;
    case 'RELEASE_LINKED':
      return `Release ${e.relatedReleaseId ?? ''} made from this one`;
  }
}

/** The timeline; progress samples are left out unless asked for, as they outnumber the rest. */
export function Timeline(props: { items: readonly HistoryEventView[]; showProgress: boolean }) {
  // Keyed by the place from the oldest, which a newer event does not change (no re-mount on each poll).
  const items = props.items
    .map((e, index) => ({ e, index }))
    .filter(({ e }) => props.showProgress || e.type !== 'WAVE_PROGRESS')
    .reverse();
  if (items.length === 0) return <p class="muted">Nothing happened yet.</p>;
  return (
    <ol class="timeline">
      {items.map(({ e, index }) => (
        <li key={index} data-type={e.type}>
          <time dateTime={e.at}>{time(e.at)}</time>
          <span class="what">{what(e)}</span>
          <span class="actor" title="actor">
            by {e.actor}
          </span>
          {e.reason && <span class="reason">{e.reason}</span>}
        </li>
      ))}
    </ol>
  );
}

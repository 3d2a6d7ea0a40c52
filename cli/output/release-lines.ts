/**
 * Releases as plain text lines: the list table, history entries, and the
 * change lines `releases watch` prints when its output is not a terminal
 * (a CI log): one line per change, no escape sequences.
 */
import type { HistoryEntry, ReleaseSummary, ReleaseView, WaveView } from '../api/release-answers.js';
import { approvalHint, countsText } from './progress-bars.js';
import { formatTable } from './table.js';

/** `2026-11-26T07:30:02Z`: second precision is plenty for a log line. */
export function logTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function releaseTable(releases: readonly ReleaseSummary[]): string[] {
  return formatTable(
    ['RELEASE', 'STATUS', 'TEMPLATE', 'WAVE', 'CREATED'],
    releases.map((r) => {
      const waves = r.waveCount ?? r.waves?.length ?? '?';
      return [
        r.releaseId,
        r.status,
        r.jobTemplateId ?? '',
        `${r.currentWave ?? '-'}/${waves}`,
        r.createdAt ?? '',
      ];
    }),
  );
}

function withReason(text: string, reason: string | undefined): string {
  return reason ? `${text} — ${reason}` : text;
}

/** What one history entry says happened (its time and actor are columns of their own). */
function historyText(entry: HistoryEntry): string {
  const wave = entry.waveNumber !== undefined ? `wave ${entry.waveNumber} ` : '';
  switch (entry.type) {
    case 'RELEASE_CREATED':
      return entry.relatedReleaseId
        ? `release created from release ${entry.relatedReleaseId}`
        : 'release created';
    case 'RELEASE_LINKED':
      return entry.reason ?? `release ${entry.relatedReleaseId ?? '?'} made from this one`;
    case 'RELEASE_STATUS_CHANGED':
    case 'WAVE_STATUS_CHANGED':
      return `${wave || 'release '}${withReason(`${entry.from ?? '?'} -> ${entry.to ?? '?'}`, entry.reason)}`;
    case 'WAVE_PROGRESS': {
      const c = entry.counts ?? {};
      const failed =
        (c.numberOfFailedThings ?? 0) + (c.numberOfRejectedThings ?? 0) + (c.numberOfTimedOutThings ?? 0);
      const running = (c.numberOfQueuedThings ?? 0) + (c.numberOfInProgressThings ?? 0);
      const job = entry.jobStatus ? ` (job ${entry.jobStatus})` : '';
      return `${wave}progress: ${c.numberOfSucceededThings ?? 0} ok, ${failed} failed, ${running} running${job}`;
    }
    case 'NOTIFICATION': {
      const n = entry.notification;
      if (!n) return 'notification';
      return `${n.channel} ${n.detailType}: ${n.delivered ? 'delivered' : `not delivered${n.error ? ` (${n.error})` : ''}`}`;
    }
    default:
      return `${wave}${entry.type}${entry.to ? ` ${entry.to}` : ''}`;
  }
}

/** History entries as a table: when, who (`fleetwave` for the workflow itself), what. */
export function historyTable(entries: readonly HistoryEntry[]): string[] {
  return formatTable(
    ['AT', 'ACTOR', 'EVENT'],
    entries.map((entry) => [entry.at, entry.actor ?? '-', historyText(entry)]),
  );
}

function waveLine(wave: WaveView): string {
  const scope = wave.scope ? ` (${wave.scope})` : '';
  const counts = countsText(wave);
  return withReason(`wave ${wave.number}${scope} ${wave.status}${counts ? `: ${counts}` : ''}`, wave.reason);
}

function sameWave(a: WaveView, b: WaveView): boolean {
  return (
    a.status === b.status &&
    a.succeeded === b.succeeded &&
    a.failed === b.failed &&
    a.inProgress === b.inProgress &&
    a.total === b.total &&
    a.waitingFor === b.waitingFor
  );
}

/**
 * The lines that tell what changed from `before` to `after` (everything
 * worth saying when `before` is undefined: the release and every wave that
 * started). Empty when nothing changed.
 */
export function changeLines(before: ReleaseView | undefined, after: ReleaseView, time: string): string[] {
  const lines: string[] = [];
  if (!before || before.status !== after.status) {
    const where =
      after.currentWave !== undefined ? ` (wave ${after.currentWave} of ${after.waves.length})` : '';
    const move = before ? `${before.status} -> ${after.status}` : after.status;
    lines.push(withReason(`release ${after.releaseId} ${move}${where}`, after.statusReason));
  }
  for (const wave of after.waves) {
    const previous = before?.waves[wave.number - 1];
    if (previous ? !sameWave(previous, wave) : wave.status !== 'PENDING') lines.push(waveLine(wave));
  }
  if (after.status === 'WAITING_APPROVAL' && before?.status !== 'WAITING_APPROVAL') {
    const hint = approvalHint(after);
    if (hint) lines.push(hint);
  }
  return lines.map((line) => `${time} ${line}`);
}

/**
 * What people read about a release event: a short subject (e-mail subject,
 * SNS `Subject`, at most 100 characters) and a one-line summary, followed by
 * the facts and links of the event for the message body.
 */
import type { AnyNotificationEvent, WaveProgressDetail } from './notifications.js';

/** The human-readable form of one event. */
export interface NotificationText {
  /** At most {@link MAX_SUBJECT_LENGTH} characters, one line. */
  subject: string;
  /** One line, a whole sentence. */
  summary: string;
  /** The summary, then one `Label: value` line per fact, then links. */
  body: string;
}

/** SNS refuses a longer `Subject`, and mail clients cut long subjects anyway. */
export const MAX_SUBJECT_LENGTH = 100;

/** Cuts `text` to `max` characters, ending in `...` when cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 3))}...`;
}

const waveOf = (n: number, count: number) => `wave ${n}/${count}`;

/** ` by <who>: <comment>` or ` by <who>.`, or `.` when neither is known. */
const byAndComment = (by: string | undefined, comment: string | undefined) =>
  `${by ? ` by ${by}` : ''}${comment ? `: ${comment}` : '.'}`;

function progressFacts(progress: WaveProgressDetail | undefined): [string, string][] {
  if (!progress) return [];
  return [
    [
      'Things succeeded',
      `${progress.succeededThings} of ${progress.totalThings} (${progress.succeededPercent}%)`,
    ],
    ['Things failed', `${progress.failedThings} of ${progress.totalThings} (${progress.failedPercent}%)`],
  ];
}

function summaryAndFacts(event: AnyNotificationEvent): {
  subject: string;
  summary: string;
  facts: [string, string][];
} {
  const d = event.detail;
  const release = `Release ${d.releaseId}`;
  switch (event.detailType) {
    case 'Release Started': {
      const e = event.detail;
      return {
        subject: `${release} started`,
        summary: `${release} started: ${e.waveCount} wave${e.waveCount === 1 ? '' : 's'} of job template ${e.jobTemplateId}.`,
        facts: e.description ? [['Description', e.description]] : [],
      };
    }
    case 'Wave Started': {
      const e = event.detail;
      return {
        subject: `${release}: ${waveOf(e.waveNumber, e.waveCount)} started`,
        summary: `${release}: ${waveOf(e.waveNumber, e.waveCount)} started as IoT job ${e.jobId}.`,
        facts: [
          ['Success threshold', `${e.successThresholdPercent}%`],
          ['Failure threshold', `${e.failureThresholdPercent}%`],
          ['Timeout', `${e.timeoutMinutes} minutes`],
        ],
      };
    }
    case 'Wave Succeeded': {
      const e = event.detail;
      const next = e.nextWaveNumber === null ? 'It was the last wave.' : `Next: wave ${e.nextWaveNumber}.`;
      return {
        subject: `${release}: ${waveOf(e.waveNumber, e.waveCount)} succeeded`,
        summary: `${release}: ${waveOf(e.waveNumber, e.waveCount)} succeeded (${e.progress.succeededPercent}% of things succeeded, ${e.progress.failedPercent}% failed). ${next}`,
        facts: progressFacts(e.progress),
      };
    }
    case 'Wave Failed': {
      const e = event.detail;
      return {
        subject: `${release}: ${waveOf(e.waveNumber, e.waveCount)} ${e.waveStatus === 'TIMED_OUT' ? 'timed out' : 'failed'}`,
        summary: `${release}: ${waveOf(e.waveNumber, e.waveCount)} ${e.waveStatus === 'TIMED_OUT' ? 'timed out' : 'failed'}. ${e.reason}`,
        facts: [['Cause', e.cause], ...progressFacts(e.progress)],
      };
    }
    case 'Release Awaiting Approval': {
      const e = event.detail;
      const before =
        e.nextWaveNumber === null
          ? 'before it is declared succeeded'
          : `before wave ${e.nextWaveNumber} starts`;
      return {
        subject: `${release} is waiting for approval`,
        summary: `${release} is waiting for approval after ${waveOf(e.waveNumber, e.waveCount)}, ${before}.`,
        facts: [],
      };
    }
    case 'Release Paused': {
      const e = event.detail;
      return {
        subject: `${release} is paused`,
        summary: `${release} is paused ${e.heldAt}${byAndComment(e.pausedBy, e.comment)}`,
        facts: [['Pause asked for', e.requestedAt]],
      };
    }
    case 'Release Resumed': {
      const e = event.detail;
      return {
        subject: `${release} resumed`,
        summary: `${release} resumed${byAndComment(e.resumedBy, e.comment)}`,
        facts: [],
      };
    }
    case 'Release Succeeded':
      return {
        subject: `${release} succeeded`,
        summary: `${release} succeeded: all ${d.waveCount} wave${d.waveCount === 1 ? '' : 's'} completed.`,
        facts: [],
      };
    case 'Release Failed': {
      const e = event.detail;
      const where = e.failedWaveNumber === undefined ? '' : ` at ${waveOf(e.failedWaveNumber, e.waveCount)}`;
      return {
        subject: `${release} failed`,
        summary: `${release} failed${where}: ${e.reason}`,
        facts: e.error ? [['Error', `${e.error.name}: ${e.error.message}`]] : [],
      };
    }
    case 'Rollback Started': {
      const e = event.detail;
      const where = e.failedWaveNumber === undefined ? '' : ` at ${waveOf(e.failedWaveNumber, e.waveCount)}`;
      return {
        subject: `${release} failed and is being rolled back`,
        summary: `${release} failed${where}: ${e.reason} Release ${e.rollbackReleaseId} rolls ${e.rollbackJobTemplateId} out to the ${e.countedThings} things that took the new version.`,
        facts: [['Rollback release', e.rollbackReleaseId]],
      };
    }
    case 'Release Canceled': {
      const e = event.detail;
      const by = e.canceledBy ? ` by ${e.canceledBy}` : '';
      return {
        subject: `${release} was canceled`,
        summary: `${release} was canceled${by}${e.reason ? `: ${e.reason}` : '.'}`,
        facts: [],
      };
    }
  }
}

/** The subject, one-line summary and message body of `event`. */
export function notificationText(event: AnyNotificationEvent): NotificationText {
  const { subject, summary, facts } = summaryAndFacts(event);
  const d = event.detail;
  const lines: [string, string][] = [
    ['Release', d.releaseId],
    ['Job template', d.jobTemplateId],
    ['Status', d.releaseStatus],
    ['Time', d.occurredAt],
  ];
  if ('jobId' in d) lines.push(['IoT job', d.jobId]);
  lines.push(...facts);
  if (d.links?.approval) lines.push(['Approve or reject', d.links.approval]);
  if (d.links?.release) lines.push(['Details', d.links.release]);
  const body = [summary, '', ...lines.map(([label, value]) => `${label}: ${value}`)].join('\n');
  return { subject: truncate(`[fleetwave] ${subject}`, MAX_SUBJECT_LENGTH), summary, body };
}

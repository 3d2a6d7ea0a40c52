/**
 * The notifications the workflow publishes, built from the release and wave
 * records with the domain's builders (`lib/domain/notifications.ts`), so
 * every detail is validated before it leaves.
 */

import {
  type AnyNotificationEvent,
  buildNotification,
  type NotificationDetailType,
  type NotificationInput,
  type WaveProgressDetail,
} from '../domain/notifications.js';
import type { Release, WaveState } from '../domain/release.js';
import type { WaveFailureCause } from '../domain/wave-evaluation.js';
import { lastWaveJobId } from '../domain/wave-halt.js';
import { type JobProcessCounts, summarizeProgress, ZERO_COUNTS } from '../domain/wave-progress.js';

function event<T extends NotificationDetailType>(type: T, input: NotificationInput<T>): AnyNotificationEvent {
  return buildNotification(type, input) as AnyNotificationEvent;
}

function common(release: Release, occurredAt: string) {
  return {
    releaseId: release.releaseId,
    jobTemplateId: release.jobTemplateId,
    releaseStatus: release.status,
    occurredAt,
    waveCount: release.waves.length,
  };
}

function waveFields(wave: WaveState, jobArn?: string) {
  return {
    waveNumber: wave.waveNumber,
    // The wave's running job: a halted wave's follow-up, once it has one.
    jobId: lastWaveJobId(wave) ?? '(none)',
    ...(jobArn && { jobArn }),
    ...(wave.thingGroupName && { thingGroupName: wave.thingGroupName }),
    ...(wave.expectedThings !== undefined && { expectedThings: wave.expectedThings }),
  };
}

/** A wave's figures for a notification. */
function progressDetail(counts: JobProcessCounts, expectedThings?: number): WaveProgressDetail {
  const p = summarizeProgress(counts, expectedThings);
  return {
    counts,
    totalThings: p.total,
    succeededThings: p.succeeded,
    failedThings: p.failed,
    succeededPercent: p.succeededPercent,
    failedPercent: p.failedPercent,
  };
}

export function releaseStarted(release: Release, at: string): AnyNotificationEvent {
  return event('Release Started', {
    ...common(release, at),
    startedAt: at,
    ...(release.description && { description: release.description }),
  });
}

export function waveStarted(release: Release, wave: WaveState, at: string, jobArn?: string) {
  const definition = release.waves[wave.waveNumber - 1];
  return event('Wave Started', {
    ...common(release, at),
    ...waveFields(wave, jobArn),
    startedAt: wave.startedAt ?? at,
    successThresholdPercent: definition?.successThresholdPercent ?? 100,
    failureThresholdPercent: definition?.failureThresholdPercent ?? 10,
    timeoutMinutes: definition?.timeoutMinutes ?? 1440,
  });
}

export function waveSucceeded(
  release: Release,
  wave: WaveState,
  at: string,
  nextWaveNumber: number | null,
): AnyNotificationEvent {
  return event('Wave Succeeded', {
    ...common(release, at),
    ...waveFields(wave),
    progress: progressDetail(wave.counts ?? { ...ZERO_COUNTS }, wave.expectedThings),
    startedAt: wave.startedAt ?? at,
    finishedAt: wave.finishedAt ?? at,
    nextWaveNumber,
  });
}

export function waveFailed(
  release: Release,
  wave: WaveState,
  at: string,
  failure: { waveStatus: 'FAILED' | 'TIMED_OUT' | 'CANCELED'; cause: WaveFailureCause; reason: string },
): AnyNotificationEvent {
  return event('Wave Failed', {
    ...common(release, at),
    ...waveFields(wave),
    waveStatus: failure.waveStatus,
    cause: failure.cause,
    reason: failure.reason,
    ...(wave.counts && { progress: progressDetail(wave.counts, wave.expectedThings) }),
    ...(wave.startedAt && { startedAt: wave.startedAt }),
    finishedAt: wave.finishedAt ?? at,
    failureThresholdPercent: release.waves[wave.waveNumber - 1]?.failureThresholdPercent ?? 10,
  });
}

export function awaitingApproval(
  release: Release,
  waveNumber: number,
  nextWaveNumber: number | null,
  at: string,
): AnyNotificationEvent {
  return event('Release Awaiting Approval', {
    ...common(release, at),
    waveNumber,
    nextWaveNumber,
    requestedAt: at,
  });
}

/** The release held PAUSED `where` (`before wave 3`), from its recorded pause. */
export function releasePaused(release: Release, where: string, at: string): AnyNotificationEvent {
  const pause = release.pause;
  return event('Release Paused', {
    ...common(release, at),
    pausedAt: pause?.heldAt ?? at,
    requestedAt: pause?.requestedAt ?? at,
    ...(pause?.requestedBy && { pausedBy: pause.requestedBy }),
    ...(pause?.comment && { comment: pause.comment }),
    heldAt: where,
    ...(release.currentWave !== undefined && { lastWaveNumber: release.currentWave }),
  });
}

/** The release resumed, as the resume sent through the hold says. */
export function releaseResumed(
  release: Release,
  resume: { resumedAt: string; resumedBy?: string | undefined; comment?: string | undefined },
  at: string,
): AnyNotificationEvent {
  return event('Release Resumed', {
    ...common(release, at),
    resumedAt: resume.resumedAt,
    ...(resume.resumedBy && { resumedBy: resume.resumedBy }),
    ...(resume.comment && { comment: resume.comment }),
  });
}

export function releaseSucceeded(release: Release, startedAt: string | undefined, at: string) {
  return event('Release Succeeded', {
    ...common(release, at),
    ...(startedAt && { startedAt }),
    finishedAt: at,
  });
}

export function releaseFailed(
  release: Release,
  at: string,
  details: { reason: string; failedWaveNumber?: number; error?: { name: string; message: string } },
): AnyNotificationEvent {
  return event('Release Failed', {
    ...common(release, at),
    reason: details.reason,
    ...(details.failedWaveNumber !== undefined && { failedWaveNumber: details.failedWaveNumber }),
    ...(details.error && { error: details.error }),
    finishedAt: at,
  });
}

export function releaseCanceled(release: Release, at: string, lastWaveNumber?: number) {
  return event('Release Canceled', {
    ...common(release, at),
    ...(release.statusReason && { reason: release.statusReason }),
    ...(lastWaveNumber !== undefined && { lastWaveNumber }),
    finishedAt: at,
  });
}

/** A failed release started its `onFailure.rollback` release. */
export function rollbackStarted(
  release: Release,
  rollback: {
    releaseId: string;
    jobTemplateId: string;
    countedThings: number;
    failedWaveNumber?: number | undefined;
  },
  at: string,
): AnyNotificationEvent {
  return event('Rollback Started', {
    ...common(release, at),
    rollbackReleaseId: rollback.releaseId,
    rollbackJobTemplateId: rollback.jobTemplateId,
    reason: release.statusReason ?? 'The release failed.',
    ...(rollback.failedWaveNumber !== undefined && { failedWaveNumber: rollback.failedWaveNumber }),
    countedThings: rollback.countedThings,
    startedAt: at,
  });
}

/** One valid event of each detail type, for the notification tests. */
import {
  type AnyNotificationEvent,
  buildNotification,
  type NotificationDetailType,
  type NotificationInput,
} from '../../../lib/domain/notifications.js';
import { ZERO_COUNTS } from '../../../lib/domain/wave-progress.js';

const base = {
  releaseId: 'fw-2-4-0',
  jobTemplateId: 'firmware-2-4',
  waveCount: 3,
  occurredAt: '2026-01-01T10:00:00.000Z',
};

const progress = {
  counts: { ...ZERO_COUNTS, numberOfSucceededThings: 97, numberOfFailedThings: 3 },
  totalThings: 100,
  succeededThings: 97,
  failedThings: 3,
  succeededPercent: 97,
  failedPercent: 3,
};

const wave = {
  waveNumber: 2,
  jobId: 'fw-2-4-0-w02',
  thingGroupName: 'fw-2-4-0-cohort-02',
  expectedThings: 100,
};

/** Inputs of every detail type. */
export const notificationInputs: { [T in NotificationDetailType]: NotificationInput<T> } = {
  'Release Started': { ...base, releaseStatus: 'IN_PROGRESS', startedAt: base.occurredAt },
  'Wave Started': {
    ...base,
    ...wave,
    releaseStatus: 'IN_PROGRESS',
    startedAt: base.occurredAt,
    successThresholdPercent: 95,
    failureThresholdPercent: 10,
    timeoutMinutes: 120,
  },
  'Wave Succeeded': {
    ...base,
    ...wave,
    releaseStatus: 'IN_PROGRESS',
    progress,
    startedAt: '2026-01-01T09:00:00.000Z',
    finishedAt: base.occurredAt,
    nextWaveNumber: 3,
  },
  'Wave Failed': {
    ...base,
    ...wave,
    jobArn: 'arn:aws:iot:us-east-1:123456789012:job/fw-2-4-0-w02',
    releaseStatus: 'FAILED',
    waveStatus: 'FAILED',
    cause: 'FAILURE_THRESHOLD',
    reason: '12 of 100 things failed, rejected or timed out (12%), reaching the failure threshold of 10%.',
    progress: {
      counts: { ...ZERO_COUNTS, numberOfSucceededThings: 88, numberOfFailedThings: 12 },
      totalThings: 100,
      succeededThings: 88,
      failedThings: 12,
      succeededPercent: 88,
      failedPercent: 12,
    },
    finishedAt: base.occurredAt,
    failureThresholdPercent: 10,
  },
  'Release Awaiting Approval': {
    ...base,
    releaseStatus: 'WAITING_APPROVAL',
    waveNumber: 2,
    nextWaveNumber: 3,
    requestedAt: base.occurredAt,
    links: { approval: 'https://api.example.com/releases/fw-2-4-0/approval' },
  },
  'Release Paused': {
    ...base,
    releaseStatus: 'PAUSED',
    pausedAt: base.occurredAt,
    requestedAt: base.occurredAt,
    pausedBy: 'arn:aws:iam::123456789012:user/oncall',
    comment: 'Support calls from the first cohort',
    heldAt: 'before wave 3',
    lastWaveNumber: 2,
  },
  'Release Resumed': {
    ...base,
    releaseStatus: 'IN_PROGRESS',
    resumedAt: base.occurredAt,
    resumedBy: 'arn:aws:iam::123456789012:user/oncall',
    comment: 'False alarm',
  },
  'Rollback Started': {
    ...base,
    releaseStatus: 'FAILED',
    rollbackReleaseId: 'fw-2-4-0-rollback',
    rollbackJobTemplateId: 'firmware-2-3',
    reason: 'Wave 2 failed: 12 of 100 things (12 %) failed, above the failure threshold of 10 %.',
    failedWaveNumber: 2,
    countedThings: 158,
    startedAt: base.occurredAt,
  },
  'Release Succeeded': { ...base, releaseStatus: 'SUCCEEDED', finishedAt: base.occurredAt },
  'Release Failed': {
    ...base,
    releaseStatus: 'FAILED',
    reason: '12 of 100 things failed, rejected or timed out (12%), reaching the failure threshold of 10%.',
    failedWaveNumber: 2,
    finishedAt: base.occurredAt,
  },
  'Release Canceled': {
    ...base,
    releaseStatus: 'CANCELED',
    reason: 'Rolled back by the on-call engineer.',
    canceledBy: 'arn:aws:iam::123456789012:user/alice',
    finishedAt: base.occurredAt,
  },
};

/** A built event of `type`. */
export function sampleNotification<T extends NotificationDetailType>(type: T): AnyNotificationEvent {
  return buildNotification(type, notificationInputs[type]) as AnyNotificationEvent;
}

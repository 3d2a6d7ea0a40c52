/**
 * The records fleetwave keeps about a release: the release itself (its
 * request plus status), the state of each wave, and the history of what
 * happened. Schemas are lenient (`z.object`) because they read what the
 * repository wrote, table keys included; types are inferred from them.
 */
import * as z from 'zod';
import { jobEndBehaviors } from './iot-job-settings.js';
import { releaseRequestFields, storedReleaseIdSchema } from './release-request.js';
import { releaseStatusSchema, waveStatusSchema } from './statuses.js';
import { jobProcessCounterNames } from './wave-progress.js';

const isoTime = z.string().min(1);
const count = z.number().int().min(0);

export const jobProcessCountsSchema = z.object(
  Object.fromEntries(jobProcessCounterNames.map((n) => [n, count])) as Record<
    (typeof jobProcessCounterNames)[number],
    typeof count
  >,
);

/**
 * A pause asked of a release through the API: kept on the release from the
 * request until it is resumed (or the release ends). `heldAt` is set once
 * the workflow holds the release (status PAUSED).
 */
const releasePauseSchema = z.object({
  /** When the pause was asked for (ISO-8601). */
  requestedAt: isoTime,
  /** Who asked, when the API knew. */
  requestedBy: z.string().optional(),
  comment: z.string().optional(),
  /** When the workflow held the release (it is PAUSED from then on). */
  heldAt: isoTime.optional(),
  /** Asked with `haltRollout`: the running wave's job is stopped now (CancelJob without force). */
  haltRollout: z.boolean().optional(),
  /** The wave job the halt stops, recorded before it is canceled so that whoever comes next finishes the cancel. */
  haltedJobId: z.string().optional(),
});

/**
 * Where a retry's or a rollback's things come from: the executions of
 * another release's wave jobs that ended in one of `statuses`. The workflow
 * gathers them into the static thing group `thingGroupName` before the
 * first wave (the release's `targets` name that group) and records how
 * many it found.
 */
export const targetSetSchema = z.object({
  /** The release whose executions are read. */
  sourceReleaseId: z.string().min(1),
  /** Execution statuses that put a thing in the set (retry: FAILED, TIMED_OUT, REJECTED; rollback: SUCCEEDED). */
  statuses: z.array(z.string().min(1)).min(1),
  /** `targetSetGroupName(releaseId)`: the static thing group the set is put in. */
  thingGroupName: z.string().min(1),
  /** Things found, once gathered. */
  things: count.optional(),
  /** When the set was complete in its group (ISO-8601); absent until then. */
  gatheredAt: isoTime.optional(),
  /**
   * Executions of the source still QUEUED or IN_PROGRESS when the set was
   * read: the gather waits up to 30 minutes for them to end, then reads
   * what has ended. Absent when none was left.
   */
  stillRunning: count.optional(),
  /** Things of the set the registry no longer had (deleted since they ran): left out, counted here. */
  thingsGone: count.optional(),
});
export type TargetSet = z.infer<typeof targetSetSchema>;

/** A release as stored: the validated request, plus where it stands. */
export const releaseSchema = z.object({
  ...releaseRequestFields,
  releaseId: storedReleaseIdSchema,
  status: releaseStatusSchema,
  /** Incremented by every write; a write names the version it read. */
  version: z.number().int().min(1),
  /** Digest of the request (`releaseRequestHash`): same id + same hash = an idempotent retry. */
  requestHash: z.string(),
  createdAt: isoTime,
  updatedAt: isoTime,
  /** The status before the last transition (absent while PENDING). */
  previousStatus: releaseStatusSchema.optional(),
  /** Why the release is in its status (failure reason, cancel note, approval note). */
  statusReason: z.string().optional(),
  /** Who put the release in its status, when a caller did (create, cancel, approve, reject); absent for the workflow's own moves. */
  statusActor: z.string().optional(),
  /** Who created the release (see lib/domain/actors.ts); absent on releases stored before it was kept. */
  createdBy: z.string().optional(),
  /** 1-based number of the wave the workflow is on. */
  currentWave: z.number().int().min(1).optional(),
  /** The Step Functions execution running the release. */
  executionArn: z.string().optional(),
  /** Present while a pause is asked for or held (see {@link releasePauseSchema}). */
  pause: releasePauseSchema.optional(),
  /** The release whose failed things this release retries (`POST /releases/{id}/retry`). */
  retryOf: z.string().optional(),
  /** The release whose updated things this release rolls back (`POST /releases/{id}/rollback`, or `onFailure.rollback`). */
  rollbackOf: z.string().optional(),
  /** A retry's or rollback's things, gathered by the workflow (see {@link targetSetSchema}). */
  targetSet: targetSetSchema.optional(),
  /** Set when the release ended at `schedulingConfig.endTime`: the end behaviour it applied. */
  endedAtEndTime: z.enum(jobEndBehaviors).optional(),
});
export type Release = z.infer<typeof releaseSchema>;

const taskTokenPurposes = ['APPROVAL', 'WAIT'] as const;
const taskTokenPurposeSchema = z.enum(taskTokenPurposes);
/** What a workflow task waits for: a person's approval, or a wake-up (e.g. a job event). */
export type TaskTokenPurpose = z.infer<typeof taskTokenPurposeSchema>;

export const approvalSchema = z.object({
  /** The release's status reason for the approval (`Approved after wave 1 by <actor>: <comment>`). */
  reason: z.string(),
  /** Who approved, when the API knew. */
  actor: z.string().optional(),
  comment: z.string().optional(),
  /** When (ISO-8601). */
  at: isoTime,
});
/** An approval given at a wave's gate. */
export type Approval = z.infer<typeof approvalSchema>;

/**
 * The last halt of a wave (lib/domain/wave-halt.ts): its job `jobId` was
 * canceled without force by a pause with `haltRollout`. Until `resumedAt`
 * the wave waits for its running devices and then for the resume; then it
 * goes on with a follow-up job (appended to `followUpJobIds`) or, when
 * every thing had started, with nothing (`nothingLeft`).
 */
const waveHaltSchema = z.object({
  /** The job the halt stopped (the wave's last job when it was halted). */
  jobId: z.string().min(1),
  /** When the workflow saw the job canceled. */
  haltedAt: isoTime,
  /** When the halted job's run began, if after the wave's start (the end of an earlier halt): the wave's timeout counts from it. */
  runningSince: isoTime.optional(),
  /** When the wave went on after the halt: its timeout counts from here. */
  resumedAt: isoTime.optional(),
  /** Every thing of the wave had started: no follow-up job, the halted job's executions are the last. */
  nothingLeft: z.boolean().optional(),
});

/**
 * Whether a running wave's maintenance windows let IoT notify its devices,
 * as the workflow last saw them: `open: false` with `opensAt` is a wave
 * waiting for its window (not stalled: its timeout counts only open time).
 */
const waveWindowSchema = z.object({
  open: z.boolean(),
  /** Closed: when the next window opens (ISO-8601); absent when none ever opens again. */
  opensAt: isoTime.optional(),
  /** Open: when the window closes (ISO-8601); absent when it stays open for a week or more. */
  closesAt: isoTime.optional(),
});
export type WaveWindow = z.infer<typeof waveWindowSchema>;

/**
 * What a running wave's clock was set to when it started (or went on after
 * a halt): its deadline, computed once then because counting open window
 * time over a long timeout is costly, and the windows it keeps to, from
 * which a read tells whether they are open now. Internal: the API shows
 * `window`, computed from these when the release is read.
 */
const waveClockSchema = z.object({
  /** When the timeout started counting (the wave's start, or when it went on after its last halt). */
  from: isoTime,
  /** When the wave times out: once its windows were open its `timeoutMinutes` since `from`. */
  timeoutAt: isoTime,
  /** The wave's effective maintenance windows (its own, the release's or the template's); absent: none. */
  windows: z.array(z.object({ startTime: z.string(), durationInMinutes: z.number() })).optional(),
});
export type WaveClock = z.infer<typeof waveClockSchema>;

/**
 * The state of one wave. A wave nobody has touched yet has no item in the
 * table and reads as PENDING with version 0. The task token itself is never
 * part of this view (only who waits and since when): it is a credential for
 * the workflow, read only through the repository's `takeTaskToken`.
 */
export const waveStateSchema = z.object({
  releaseId: z.string(),
  /** 1-based position in the release. */
  waveNumber: z.number().int().min(1),
  status: waveStatusSchema,
  /** 0 while the wave has no item; incremented by every write. */
  version: z.number().int().min(0),
  /** The status before the last transition. */
  previousStatus: waveStatusSchema.optional(),
  /** The time of the last write to the wave. */
  updatedAt: isoTime.optional(),
  /** When the status last changed. */
  statusChangedAt: isoTime.optional(),
  jobId: z.string().optional(),
  /**
   * Jobs that went on with the wave after `haltRollout` stopped its first
   * job (`<releaseId>-w<nn>-r<k>`, in order). The wave's things are those
   * of `jobId` and of these together (`waveJobIds`).
   */
  followUpJobIds: z.array(z.string()).optional(),
  /** The wave's last halt (see {@link waveHaltSchema}); absent for a wave never halted. */
  halt: waveHaltSchema.optional(),
  /** Its maintenance windows' state at the last look (see {@link waveWindowSchema}); absent for a wave without windows. */
  window: waveWindowSchema.optional(),
  /** Its deadline and windows, set when its clock started (see {@link waveClockSchema}). */
  clock: waveClockSchema.optional(),
  /** The cohort's static thing group, for a percentage wave. */
  thingGroupName: z.string().optional(),
  /** Things the wave was built to reach, when known (the denominator of its shares). */
  expectedThings: z.number().int().min(0).optional(),
  counts: jobProcessCountsSchema.optional(),
  jobStatus: z.string().optional(),
  succeededPercent: z.number().optional(),
  failedPercent: z.number().optional(),
  startedAt: isoTime.optional(),
  /** The time of the last poll that changed something (a poll that changes nothing writes nothing). */
  lastPolledAt: isoTime.optional(),
  finishedAt: isoTime.optional(),
  /** Why the wave ended as it did. */
  reason: z.string().optional(),
  waitingFor: taskTokenPurposeSchema.optional(),
  waitingSince: isoTime.optional(),
  /** Who put the wave in its status, when a caller did (a cancel, a rejection); absent for the workflow's own moves. */
  statusActor: z.string().optional(),
  /** Who approved the gate after the wave, once someone did. */
  approvedBy: z.string().optional(),
  /** When the gate after the wave was approved. */
  approvedAt: isoTime.optional(),
});
export type WaveState = z.infer<typeof waveStateSchema>;

const historyEventTypes = [
  'RELEASE_CREATED',
  'RELEASE_STATUS_CHANGED',
  'WAVE_STATUS_CHANGED',
  'WAVE_PROGRESS',
  'NOTIFICATION',
  /** On a release that was retried or rolled back: the new release (`relatedReleaseId`) was made from it. */
  'RELEASE_LINKED',
] as const;

/** Where a release's event was sent besides EventBridge. */
const notificationChannels = ['sns', 'webhook'] as const;

/**
 * What became of one event sent to people (SNS) or to the release's webhook
 * (a `NOTIFICATION` history entry). A failed notification never fails the
 * release: it is recorded here instead.
 */
const notificationOutcomeSchema = z.object({
  channel: z.enum(notificationChannels),
  /** The event's detail type, e.g. `Release Succeeded`. */
  detailType: z.string(),
  /** The event's deduplication id. */
  notificationId: z.string(),
  delivered: z.boolean(),
  /** HTTP requests made (webhook). */
  attempts: z.number().int().min(0).optional(),
  /** The HTTP status of the receiver's last answer (webhook). */
  lastStatus: z.number().int().optional(),
  /** `X-Fleetwave-Delivery` (webhook) or the SNS message id. */
  deliveryId: z.string().optional(),
  /** Why it was not delivered. */
  error: z.string().optional(),
});
export type NotificationOutcome = z.infer<typeof notificationOutcomeSchema>;

/** One entry of a release's history, in the order things happened. */
export const historyEventSchema = z.object({
  releaseId: z.string(),
  type: z.enum(historyEventTypes),
  at: isoTime,
  /** Orders events of the same millisecond; with `at`, unique within the release. */
  seq: z.string(),
  waveNumber: z.number().int().min(1).optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  reason: z.string().optional(),
  /**
   * Who took the action: the caller's IAM principal ARN on AWS (the access
   * key id, or `local`, on the local stack), a webhook's sender
   * (`github:<login>`...), an EventBridge request's `events:<source>@<account>`,
   * or `fleetwave` for what the workflow did by itself (lib/domain/actors.ts).
   * Always written; optional only for events stored before it was.
   */
  actor: z.string().optional(),
  jobId: z.string().optional(),
  /**
   * The other release of a retry or rollback: on the new release's
   * `RELEASE_CREATED`, the release it was made from; on the original's
   * `RELEASE_LINKED`, the new release. The two histories point at each other.
   */
  relatedReleaseId: z.string().optional(),
  counts: jobProcessCountsSchema.optional(),
  jobStatus: z.string().optional(),
  succeededPercent: z.number().optional(),
  failedPercent: z.number().optional(),
  /** `NOTIFICATION` entries: what became of one event sent to SNS or the release's webhook. */
  notification: notificationOutcomeSchema.optional(),
});
export type HistoryEvent = z.infer<typeof historyEventSchema>;

/** A release with the state of every wave, in wave order. */
export interface ReleaseWithWaves {
  release: Release;
  /** `waves[i]` is wave `i + 1`; its definition is `release.waves[i]`. */
  waves: WaveState[];
}

/** The state of a wave that has no item yet. */
export function pendingWave(releaseId: string, waveNumber: number): WaveState {
  return { releaseId, waveNumber, status: 'PENDING', version: 0 };
}

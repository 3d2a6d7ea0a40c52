/**
 * The rules that decide, after each DescribeJob, whether a wave goes on,
 * succeeded, failed or timed out; and whether a finished wave failed while
 * it baked. Pure: the workflow passes the counters, the job status, the
 * wave's policy and the times, and acts on the decision.
 *
 * Rules, checked in this order (see docs/data-model.md):
 * 1. failure threshold: at least one failure, at least
 *    min(minExecutedThings, total) things executed, and
 *    (FAILED+REJECTED+TIMED_OUT) / total ≥ failureThresholdPercent → failed;
 * 2. the job was halted by a pause (`HALTED`, lib/domain/wave-halt.ts) →
 *    halted once no execution is queued or in progress (its running
 *    devices have finished), else on to rules 4 and 5; the job is CANCELED
 *    or being deleted before the wave finished (IoT's abort criteria, or
 *    someone outside fleetwave) → failed, the reason saying which, on
 *    IoT's basis (failures among things executed);
 * 3. the job is COMPLETED, or every execution is terminal → succeeded when
 *    SUCCEEDED / total ≥ successThresholdPercent, otherwise failed;
 * 4. now ≥ startedAt + timeoutMinutes → timed_out;
 * 5. otherwise continue, polling again after the adaptive wait.
 */
import { type AdaptiveWaitPolicy, nextPoll, type PollState } from './adaptive-wait.js';
import { canceledJobReason, type JobCancelNote } from './canceled-job-reason.js';
import type { AbortConfig } from './iot-job-settings.js';
import type { WaveDefinition } from './release-request.js';
import {
  type JobProcessCounts,
  reachesShare,
  summarizeProgress,
  type WaveProgress,
} from './wave-progress.js';

/** The part of a wave's definition the rules read. */
export type WavePolicy = Pick<
  WaveDefinition,
  'successThresholdPercent' | 'failureThresholdPercent' | 'minExecutedThings' | 'timeoutMinutes'
>;

/** A point in time: a Date, epoch milliseconds, or an ISO-8601 string (as stored). */
export type Instant = Date | number | string;

export interface WaveEvaluationInput {
  counts: JobProcessCounts;
  /**
   * DescribeJob's `job.status`: IN_PROGRESS, COMPLETED, CANCELED, DELETION_IN_PROGRESS or SCHEDULED;
   * or {@link HALTED_JOB_STATUS} for a job a pause halted (`judgedJobStatus`).
   */
  jobStatus: string;
  policy: WavePolicy;
  /** Things the wave was built to reach (a cohort's size, or its explicit things), when known. */
  expectedThings?: number | undefined;
  startedAt: Instant;
  now: Instant;
  /**
   * When the wave times out (epoch ms), when not `startedAt` + `timeoutMinutes`: a wave
   * with maintenance windows counts only their open time (`waveDeadlineInWindows`).
   */
  deadlineMs?: number | undefined;
  /** What the previous poll of this wave saw; undefined on the first poll. */
  previous?: PollState | undefined;
  wait?: AdaptiveWaitPolicy | undefined;
  /** The abort criteria the job was created with: the basis of IoT's abort, for the reason. */
  abortCriteria?: AbortConfig['criteriaList'] | undefined;
  /** What IoT said when the job was canceled (DescribeJob's `reasonCode`, `comment`). */
  cancelNote?: JobCancelNote | undefined;
}

/** Why a wave did not succeed, for the workflow's branches and for notifications. */
export type WaveFailureCause = 'FAILURE_THRESHOLD' | 'JOB_CANCELED' | 'BELOW_SUCCESS_THRESHOLD' | 'TIMEOUT';

export type WaveDecision =
  | {
      decision: 'continue';
      nextPollSeconds: number;
      pollState: PollState;
      changed: boolean;
      progress: WaveProgress;
    }
  | { decision: 'succeeded'; progress: WaveProgress }
  /** The wave's job was halted and its running devices have finished: the wave waits for its follow-up. */
  | { decision: 'halted'; progress: WaveProgress }
  | { decision: 'failed'; reason: string; cause: WaveFailureCause; progress: WaveProgress }
  | { decision: 'timed_out'; reason: string; cause: 'TIMEOUT'; progress: WaveProgress };

/** Epoch milliseconds of an {@link Instant}. */
export function toEpochMs(instant: Instant): number {
  const ms =
    instant instanceof Date ? instant.getTime() : typeof instant === 'number' ? instant : Date.parse(instant);
  if (!Number.isFinite(ms)) throw new RangeError(`not a valid time: ${String(instant)}`);
  return ms;
}

/** The time a wave times out, epoch ms. */
export function waveDeadlineMs(startedAt: Instant, timeoutMinutes: number): number {
  return toEpochMs(startedAt) + timeoutMinutes * 60_000;
}

/** The status the rules judge a job halted by a pause with (not IoT's: see `judgedJobStatus`). */
export const HALTED_JOB_STATUS = 'HALTED';

/** Job statuses that end a job before its executions finished. */
const STOPPED_JOB_STATUSES = new Set(['CANCELED', 'DELETION_IN_PROGRESS']);

/** Decides what a wave does after one DescribeJob. */
export function evaluateWave(input: WaveEvaluationInput): WaveDecision {
  const progress = summarizeProgress(input.counts, input.expectedThings);
  const { policy } = input;

  const crossed = failureThresholdReason(progress, policy);
  if (crossed) return { decision: 'failed', cause: 'FAILURE_THRESHOLD', reason: crossed, progress };

  const halted = input.jobStatus === HALTED_JOB_STATUS;
  if (halted && progress.pending === 0) return { decision: 'halted', progress };

  if (STOPPED_JOB_STATUSES.has(input.jobStatus)) {
    return {
      decision: 'failed',
      cause: 'JOB_CANCELED',
      reason: canceledJobReason({
        jobStatus: input.jobStatus,
        counts: input.counts,
        progress,
        criteria: input.abortCriteria ?? [],
        note: input.cancelNote,
      }),
      progress,
    };
  }

  if (!halted && (input.jobStatus === 'COMPLETED' || progress.allTerminal)) {
    if (reachesShare(progress.succeeded, progress.total, policy.successThresholdPercent)) {
      return { decision: 'succeeded', progress };
    }
    return {
      decision: 'failed',
      cause: 'BELOW_SUCCESS_THRESHOLD',
      reason: `${progress.succeeded} of ${progress.total} things succeeded (${progress.succeededPercent}%), below the success threshold of ${policy.successThresholdPercent}%.`,
      progress,
    };
  }

  const nowMs = toEpochMs(input.now);
  const deadlineMs = input.deadlineMs ?? waveDeadlineMs(input.startedAt, policy.timeoutMinutes);
  if (nowMs >= deadlineMs) {
    return {
      decision: 'timed_out',
      cause: 'TIMEOUT',
      reason: `The wave did not finish within ${policy.timeoutMinutes} minutes${deadlineMs > waveDeadlineMs(input.startedAt, policy.timeoutMinutes) ? ' of open maintenance windows' : ''}: ${progress.pending} of ${progress.total} things still queued or in progress.`,
      progress,
    };
  }

  const poll = nextPoll({
    counts: input.counts,
    jobStatus: input.jobStatus,
    previous: input.previous,
    nowMs,
    deadlineMs,
    policy: input.wait,
  });
  return {
    decision: 'continue',
    nextPollSeconds: poll.seconds,
    pollState: poll.state,
    changed: poll.changed,
    progress,
  };
}

/**
 * The failure rule on its own: a reason when failures reached the threshold,
 * undefined otherwise. At least one failure is needed (a 0 % threshold means
 * "stop at the first failure"), and the share is judged only once
 * `minExecutedThings` things executed (or the whole wave, if it is smaller),
 * as IoT's own abort criteria do.
 */
export function failureThresholdReason(
  progress: WaveProgress,
  policy: Pick<WavePolicy, 'failureThresholdPercent' | 'minExecutedThings'>,
): string | undefined {
  if (progress.failed === 0) return undefined;
  if (progress.executed < Math.min(policy.minExecutedThings, progress.total)) return undefined;
  if (!reachesShare(progress.failed, progress.total, policy.failureThresholdPercent)) return undefined;
  return `${progress.failed} of ${progress.total} things failed, rejected or timed out (${progress.failedPercent}%), reaching the failure threshold of ${policy.failureThresholdPercent}%.`;
}

export interface BakeCheckInput {
  counts: JobProcessCounts;
  policy: Pick<WavePolicy, 'failureThresholdPercent' | 'minExecutedThings'>;
  expectedThings?: number | undefined;
}

export type BakeDecision =
  | { decision: 'ok'; progress: WaveProgress }
  | { decision: 'failed'; cause: 'FAILURE_THRESHOLD'; reason: string; progress: WaveProgress };

/**
 * Re-checks a wave during or at the end of its bake: the counters can still
 * move after the wave was judged (executions retried under the job's retry
 * configuration fail again), and a wave whose failures crossed the
 * threshold while it baked fails instead of succeeding.
 */
export function checkBake(input: BakeCheckInput): BakeDecision {
  const progress = summarizeProgress(input.counts, input.expectedThings);
  const reason = failureThresholdReason(progress, input.policy);
  return reason
    ? { decision: 'failed', cause: 'FAILURE_THRESHOLD', reason, progress }
    : { decision: 'ok', progress };
}

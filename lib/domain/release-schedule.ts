/**
 * When a release with a `schedulingConfig` may run: it waits for its
 * `startTime`, starts no wave within 46 minutes of its `endTime` (IoT
 * refuses a job whose end is less than 30 minutes ahead, and a retried
 * CreateJob reaches IoT minutes after its task's clock), wakes at the end time whatever it
 * waits for, and then ends by its end behaviour. Pure: the workflow passes
 * the release and its clock (epoch ms) and acts on the answers.
 */
import type { JobEndBehavior, SchedulingConfig } from './iot-job-settings.js';
import type { MaintenanceWindow } from './maintenance-windows.js';
import type { Release, WaveState } from './release.js';
import type { WaveDefinition } from './release-request.js';
import { formatScheduleTime, MIN_LEAD_MS, parseScheduleTime } from './schedule-time.js';
import { failureThresholdReason } from './wave-evaluation.js';
import { reachesShare, summarizeProgress, ZERO_COUNTS } from './wave-progress.js';

/**
 * AWS documents no default for `endBehavior` ("if endTime is not selected,
 * endBehavior does not apply"); fleetwave takes the mildest, which neither
 * cancels a job nor stops a running device.
 */
export const DEFAULT_END_BEHAVIOR: JobEndBehavior = 'STOP_ROLLOUT';

/** IoT refuses a CreateJob whose `endTime` is less than this ahead. */
export const MIN_END_LEAD_MS = MIN_LEAD_MS;

/**
 * How long after StartWave's entry its CreateJob may still reach IoT: the
 * task's `now` is the state's entry time, which does not move across Retry
 * attempts. StartWave's Retry lists wait at most 460 s in all (capped
 * doubling: 303 s throttled, 122 s upstream, 35 s runtime), and its four
 * timed-out attempts take up to 60 s each; 15 minutes covers both.
 */
export const START_WAVE_RETRY_BUDGET_MS = 15 * 60_000;

/** How far IoT's clock may run ahead of the one the workflow reads. */
const CLOCK_SKEW_MS = 60_000;

/**
 * No wave starts when the end time is nearer than this: IoT's 30 minutes,
 * plus the time StartWave's retries may take to reach IoT, plus clock skew.
 * A CreateJob IoT still refuses for its end time ends the release by its end
 * behaviour as well.
 */
export const WAVE_START_END_MARGIN_MS = MIN_END_LEAD_MS + START_WAVE_RETRY_BUDGET_MS + CLOCK_SKEW_MS;

const DAY_MS = 24 * 3_600_000;

/**
 * How long after its creation a release may run: a day less than the year
 * after which Step Functions ends a standard execution (started when the
 * release is created), so that the workflow ends the release itself, by the
 * end-time path, before its execution times out and strands it IN_PROGRESS.
 */
const RELEASE_LIFETIME_MS = 364 * DAY_MS;

/**
 * fleetwave's own limits on a release request's times (AWS allows a start a
 * year ahead and an end two): the end at most {@link RELEASE_LIFETIME_MS}
 * after the request, and the start at most 335 days after it, so that a
 * scheduled release still has a month to roll out within its execution.
 */
export const MAX_START_AFTER_REQUEST_MS = 335 * DAY_MS;
/** See {@link MAX_START_AFTER_REQUEST_MS}. */
export const MAX_END_AFTER_REQUEST_MS = RELEASE_LIFETIME_MS;

type Scheduled = Pick<Release, 'schedulingConfig'> & Partial<Pick<Release, 'createdAt'>>;

function timeOf(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseScheduleTime(text);
}

/** Epoch ms of the release's `startTime`, if it has one. */
export function scheduledStartMs(release: Scheduled): number | undefined {
  return timeOf(release.schedulingConfig?.startTime);
}

/** Epoch ms of the release's `endTime`, if it has one. */
export function scheduledEndMs(release: Scheduled): number | undefined {
  return timeOf(release.schedulingConfig?.endTime);
}

/** Epoch ms at which a release created at `createdAt` reaches {@link RELEASE_LIFETIME_MS}. */
function lifetimeEndMs(release: Scheduled): number | undefined {
  return release.createdAt === undefined ? undefined : Date.parse(release.createdAt) + RELEASE_LIFETIME_MS;
}

/**
 * Epoch ms at which the workflow ends the release: its `endTime`, or the end
 * of its lifetime (its execution's year) when that comes first.
 */
export function workflowEndMs(release: Scheduled): number | undefined {
  const ends = [scheduledEndMs(release), lifetimeEndMs(release)].filter((t) => t !== undefined);
  return ends.length === 0 ? undefined : Math.min(...ends);
}

/** True when the workflow's end is its lifetime's, not (before) its `endTime`. */
function endsAtLifetime(release: Scheduled): boolean {
  const lifetime = lifetimeEndMs(release);
  return (
    lifetime !== undefined && lifetime === workflowEndMs(release) && lifetime !== scheduledEndMs(release)
  );
}

/**
 * What happens to the running wave's job at the end: the release's end
 * behaviour. A release ended at its lifetime without an `endTime` of its own
 * cancels the job (CANCEL): no end time of IoT's would ever stop it.
 */
export function endBehaviorOf(release: Scheduled): JobEndBehavior {
  if (release.schedulingConfig?.endTime === undefined && endsAtLifetime(release)) return 'CANCEL';
  return release.schedulingConfig?.endBehavior ?? DEFAULT_END_BEHAVIOR;
}

/** True when the release has a start time still ahead of `nowMs`: it waits (SCHEDULED). */
export function waitsForStart(release: Scheduled, nowMs: number): boolean {
  const start = scheduledStartMs(release);
  return start !== undefined && nowMs < start;
}

/** True once the release's end time has come. */
export function endTimeReached(release: Scheduled, nowMs: number): boolean {
  const end = workflowEndMs(release);
  return end !== undefined && nowMs >= end;
}

/**
 * True when a wave's job may be created at `nowMs`: no end time, or one at
 * least {@link WAVE_START_END_MARGIN_MS} (46 minutes) ahead. Nearer the end
 * the release ends by its end behaviour instead of starting a job IoT could
 * refuse by the time a retried CreateJob reaches it.
 */
export function mayStartWave(release: Scheduled, nowMs: number): boolean {
  const end = workflowEndMs(release);
  return end === undefined || end - nowMs >= WAVE_START_END_MARGIN_MS;
}

/** `seconds`, cut so that the wait ends at the release's end time (whole seconds, at least 1). */
export function capAtEnd(seconds: number, release: Scheduled, nowMs: number): number {
  const end = workflowEndMs(release);
  if (end === undefined) return seconds;
  return Math.max(1, Math.min(seconds, Math.ceil((end - nowMs) / 1000)));
}

/** The release's status reason when it ends at its end time. */
export function endTimeReason(release: Scheduled): string {
  const behavior = endBehaviorOf(release);
  const lifetime = lifetimeEndMs(release);
  const what: Record<JobEndBehavior, string> = {
    STOP_ROLLOUT:
      'no further wave starts and the running wave notifies no more devices; devices already notified finish',
    CANCEL: "no further wave starts and the running wave's job is canceled; devices already running finish",
    FORCE_CANCEL: "no further wave starts and the running wave's job is canceled, running devices too",
  };
  const why =
    endsAtLifetime(release) && lifetime !== undefined
      ? " (364 days after it was created, before its workflow execution's one-year limit)"
      : '';
  return `Ended ${endedWhen(release)}${why} (endBehavior ${behavior}): ${what[behavior]}.`;
}

/** Which end the workflow's end is: `at its end time <t> UTC` or `at the end of its lifetime <t> UTC`. */
export function endedWhen(release: Scheduled): string {
  const lifetime = lifetimeEndMs(release);
  return endsAtLifetime(release) && lifetime !== undefined
    ? `at the end of its lifetime ${formatScheduleTime(lifetime)} UTC`
    : `at its end time ${release.schedulingConfig?.endTime ?? '(none)'} UTC`;
}

/**
 * The `schedulingConfig` of a wave's CreateJob at `nowMs`: the wave's
 * windows (left out when it has none, so IoT applies the template's), and
 * the release's end time and end behaviour when the end is at least 30
 * minutes ahead. The release's start time is never passed: the workflow
 * waits for it itself. Undefined when there is nothing to send.
 */
export function jobSchedulingConfig(
  release: Scheduled,
  windows: readonly MaintenanceWindow[] | undefined,
  nowMs: number,
): SchedulingConfig | undefined {
  const end = scheduledEndMs(release);
  const withEnd = end !== undefined && end - nowMs >= MIN_END_LEAD_MS;
  if (!windows && !withEnd) return undefined;
  return {
    ...(withEnd && { endTime: formatScheduleTime(end), endBehavior: endBehaviorOf(release) }),
    ...(windows && { maintenanceWindows: windows.map((w) => ({ ...w })) }),
  };
}

/**
 * The windows a wave's CreateJob names: the wave's own (`[]` included: none
 * for this wave), else the release's; undefined leaves the template's to IoT.
 */
export function requestedWindows(
  release: Pick<Release, 'schedulingConfig' | 'waves'>,
  waveNumber: number,
): readonly MaintenanceWindow[] | undefined {
  return release.waves[waveNumber - 1]?.maintenanceWindows ?? release.schedulingConfig?.maintenanceWindows;
}

/**
 * The windows a wave's job runs in: those it asks for, else the job
 * template's (`templateWindows`, as DescribeJobTemplate told StartRelease).
 */
export function effectiveWindows(
  release: Pick<Release, 'schedulingConfig' | 'waves'>,
  waveNumber: number,
  templateWindows: readonly MaintenanceWindow[] | undefined,
): readonly MaintenanceWindow[] {
  return requestedWindows(release, waveNumber) ?? templateWindows ?? [];
}

/** What becomes of the running wave of a release ended at its end time. */
export interface EndedWaveOutcome {
  status: 'SUCCEEDED' | 'FAILED' | 'CANCELED';
  reason: string;
  /** CancelJob the wave's job (`force` too for FORCE_CANCEL); STOP_ROLLOUT leaves it to IoT. */
  cancelJob: false | { force: boolean };
}

/**
 * The running wave at the end time, by the end behaviour the release
 * applied. CANCEL and FORCE_CANCEL: the wave is CANCELED and its job
 * canceled. STOP_ROLLOUT: the job is left to IoT, which notifies no more
 * devices and lets those notified finish; the wave is judged on what ran
 * so far (its last recorded counters): FAILED past its failure threshold,
 * SUCCEEDED when its success threshold is reached among all the wave's
 * expected things (those never notified, or still running, have not
 * succeeded), FAILED below it, CANCELED when no thing had run.
 */
export function endedWaveOutcome(
  behavior: JobEndBehavior,
  wave: Pick<WaveState, 'counts' | 'expectedThings'>,
  policy: Pick<WaveDefinition, 'successThresholdPercent' | 'failureThresholdPercent' | 'minExecutedThings'>,
): EndedWaveOutcome {
  const atEnd = `Stopped at the release's end time (${behavior})`;
  if (behavior !== 'STOP_ROLLOUT') {
    return {
      status: 'CANCELED',
      reason: `${atEnd}: its job canceled.`,
      cancelJob: { force: behavior === 'FORCE_CANCEL' },
    };
  }
  const progress = summarizeProgress(wave.counts ?? ZERO_COUNTS, wave.expectedThings);
  const ran = `${progress.succeeded} of the wave's ${progress.total} things succeeded (${progress.executed} ran to an outcome; ${progress.pending} still queued or in progress are left to IoT; things never notified do not count as succeeded)`;
  if (progress.executed === 0) {
    return { status: 'CANCELED', reason: `${atEnd} before any thing ran.`, cancelJob: false };
  }
  const crossed = failureThresholdReason(progress, policy);
  if (crossed) return { status: 'FAILED', reason: `${atEnd}: ${crossed}`, cancelJob: false };
  // Against all the wave's things: one success among a thousand expected is no successful wave.
  const passed = reachesShare(progress.succeeded, progress.total, policy.successThresholdPercent);
  return {
    status: passed ? 'SUCCEEDED' : 'FAILED',
    reason: `${atEnd}: ${ran} (${passed ? 'reaching' : 'below'} the success threshold of ${policy.successThresholdPercent}%).`,
    cancelJob: false,
  };
}

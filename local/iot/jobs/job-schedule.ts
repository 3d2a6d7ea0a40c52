/**
 * What a job's `schedulingConfig` means in time, as AWS IoT reads it: when
 * the job leaves SCHEDULED, when its end behaviour applies and which one,
 * and the upcoming window starts DescribeJob lists (`scheduledJobRollouts`).
 * Pure: times are epoch ms, passed in.
 */
import type {
  JobEndBehavior,
  MaintenanceWindows,
  SchedulingConfig,
} from '../../../lib/domain/iot-job-settings.js';
import { type WindowSchedule, windowSchedule } from '../../../lib/domain/maintenance-windows.js';
import { formatScheduleTime, parseScheduleTime } from '../../../lib/domain/schedule-time.js';

/** How many upcoming window starts DescribeJob lists: "the next seven maintenance window occurrences". */
const SCHEDULED_ROLLOUTS_LISTED = 7;

/**
 * Each job's windows, parsed once: a job record keeps its config (and so its
 * windows array) for life, and DescribeJob asks about it again and again.
 */
const schedules = new WeakMap<MaintenanceWindows, WindowSchedule>();

/** The parsed schedule of `windows`, made on first use and kept while the windows live. */
function scheduleOf(windows: MaintenanceWindows): WindowSchedule {
  let schedule = schedules.get(windows);
  if (schedule === undefined) {
    schedule = windowSchedule(windows);
    schedules.set(windows, schedule);
  }
  return schedule;
}

/** The windows of a config, or undefined when it has none (a job without windows rolls out at any time). */
export function windowsOf(config: SchedulingConfig | undefined): MaintenanceWindows | undefined {
  const windows = config?.maintenanceWindows;
  return windows !== undefined && windows.length > 0 ? windows : undefined;
}

/**
 * When the job goes from SCHEDULED to IN_PROGRESS: its `startTime` (or
 * `createdAt` without one), or, with maintenance windows, the first moment
 * at or after it (and at or after `now`) that a window is open. Undefined
 * when no window opens within the horizon of the window arithmetic (two
 * years): the caller looks again then.
 */
export function rolloutStart(
  config: SchedulingConfig | undefined,
  createdAt: number,
  now = createdAt,
): number | undefined {
  const start =
    (config?.startTime === undefined ? undefined : parseScheduleTime(config.startTime)) ?? createdAt;
  // Asked again later (a re-check, a restart): what has passed is not asked about again.
  const from = Math.max(start, now);
  const windows = windowsOf(config);
  if (windows === undefined) return from;
  // Only whether a window is open matters, not until when: follow no joined span.
  const state = scheduleOf(windows).stateAt(from, 0);
  return state.open ? from : state.opensAt;
}

/** When the end behaviour applies, or undefined without an `endTime`. */
export function rolloutEnd(config: SchedulingConfig | undefined): number | undefined {
  return config?.endTime === undefined ? undefined : parseScheduleTime(config.endTime);
}

/**
 * What happens at the end time. Without an `endBehavior`, STOP_ROLLOUT: AWS
 * defines `endTime` itself as "the time a job will stop rollout of the job
 * document to all devices in the target group".
 */
export function endBehaviorOf(config: SchedulingConfig | undefined): JobEndBehavior {
  return config?.endBehavior ?? 'STOP_ROLLOUT';
}

/**
 * DescribeJob's `scheduledJobRollouts`: the next seven window starts after
 * `now` and not before the start time, before the end time, as `YYYY-MM-DDTHH:MM`; undefined for a job
 * without windows.
 */
export function scheduledJobRollouts(
  config: SchedulingConfig | undefined,
  now: number,
): { startTime: string }[] | undefined {
  const windows = windowsOf(config);
  if (windows === undefined) return undefined;
  const end = rolloutEnd(config) ?? Number.POSITIVE_INFINITY;
  const start = config?.startTime === undefined ? undefined : parseScheduleTime(config.startTime);
  // Before its start time a job rolls out nowhere: list from the start time, a window opening at it included.
  const after = start !== undefined && start > now ? start - 1 : now;
  return scheduleOf(windows)
    .startsAfter(after, SCHEDULED_ROLLOUTS_LISTED)
    .filter((start) => start < end)
    .map((start) => ({ startTime: formatScheduleTime(start) }));
}

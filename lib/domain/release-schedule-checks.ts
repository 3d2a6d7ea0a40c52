/**
 * What a release request's schedule must satisfy when it is created,
 * relative to the request's time: AWS IoT's limits on the times
 * (`schedule-time.ts`), fleetwave's own limits that keep a release inside its
 * workflow execution's year, and windows that open at least once before the
 * release must end. AWS accepts windows that never open (a 30 February, a
 * past year); a release would then wait for them until its wave timed out.
 */

import { parseAwsCron } from './aws-cron.js';
import { ValidationError } from './errors.js';
import { type MaintenanceWindow, windowSchedule } from './maintenance-windows.js';
import type { ReleaseRequest } from './release-request.js';
import {
  MAX_END_AFTER_REQUEST_MS,
  MAX_START_AFTER_REQUEST_MS,
  scheduledEndMs,
  scheduledStartMs,
} from './release-schedule.js';
import { scheduleTimeProblems } from './schedule-time.js';

/** One problem, with the dotted path of the field it is about. */
interface ScheduleProblem {
  path: string;
  message: string;
}

type ScheduledRequest = Pick<ReleaseRequest, 'schedulingConfig' | 'waves'>;

/** fleetwave's limits on the times, reported only where AWS's found nothing. */
function lifetimeProblems(request: ScheduledRequest, now: number): ScheduleProblem[] {
  const problems: ScheduleProblem[] = [];
  const start = scheduledStartMs(request);
  const end = scheduledEndMs(request);
  if (start !== undefined && start > now + MAX_START_AFTER_REQUEST_MS) {
    problems.push({
      path: 'startTime',
      message:
        'must be at most 335 days from now (a release must finish within its workflow execution’s year)',
    });
  }
  if (end !== undefined && end > now + MAX_END_AFTER_REQUEST_MS) {
    problems.push({
      path: 'endTime',
      message:
        'must be at most 364 days from now (a release must finish within its workflow execution’s year)',
    });
  }
  return problems;
}

/** True when `windows` are open at `from`, or open at some time before `until`. */
function opensBetween(windows: readonly MaintenanceWindow[], from: number, until: number): boolean {
  if (windows.length === 0) return true;
  const state = windowSchedule(windows).stateAt(from);
  return state.open || (state.opensAt !== undefined && state.opensAt < until);
}

/** Each set of windows (the release's, each wave's) that never opens between the start and the end. */
function windowProblems(request: ScheduledRequest, now: number): ScheduleProblem[] {
  const from = Math.max(now, scheduledStartMs(request) ?? now);
  const until = Math.min(scheduledEndMs(request) ?? Number.POSITIVE_INFINITY, now + MAX_END_AFTER_REQUEST_MS);
  const message = 'must open at least once between the release’s start and its end (or within 364 days)';
  const problems: ScheduleProblem[] = [];
  const own = request.schedulingConfig?.maintenanceWindows;
  if (own && !opensBetween(own, from, until)) {
    problems.push({ path: 'schedulingConfig.maintenanceWindows', message });
  }
  request.waves.forEach((wave, i) => {
    if (wave.maintenanceWindows && !opensBetween(wave.maintenanceWindows, from, until)) {
      problems.push({ path: `waves.${i}.maintenanceWindows`, message });
    }
  });
  return problems;
}

/**
 * Every problem with the request's schedule at `now` (epoch ms, the
 * request's time): AWS's limits first; fleetwave's lifetime limits on a time
 * AWS accepts; windows that never open while the release may run (judged
 * only when the times are sound).
 */
function releaseScheduleProblems(request: ScheduledRequest, now: number): ScheduleProblem[] {
  const config = request.schedulingConfig ?? {};
  const aws = scheduleTimeProblems(config, now);
  const fleetwave = lifetimeProblems(request, now).filter((p) => !aws.some((a) => a.path === p.path));
  const times = [...aws, ...fleetwave].map((p) => ({
    path: `schedulingConfig.${p.path}`,
    message: p.message,
  }));
  return times.length > 0 ? times : windowProblems(request, now);
}

/**
 * The request's schedule relative to `now` (epoch ms, the request's time):
 * AWS IoT's limits on `schedulingConfig.startTime` and `endTime`, fleetwave's
 * (a start at most 335 days and an end at most 364 days ahead, inside the
 * workflow execution's year), and windows (the release's, each wave's) that
 * open at least once before the release must end. Checked when a release is
 * created, not when a stored one is read again.
 * @throws ValidationError naming each field (`schedulingConfig.startTime`, `waves.1.maintenanceWindows`, ...)
 */
export function checkScheduleTimes(
  request: Pick<ReleaseRequest, 'schedulingConfig' | 'waves'>,
  now: number,
): void {
  const problems = releaseScheduleProblems(request, now);
  if (problems.length === 0) return;
  throw new ValidationError('The release request is invalid.', problems);
}

/**
 * The maintenance windows of a job template that fleetwave cannot read
 * (IoT's own check may be looser), one problem each, naming the window. A
 * wave that inherits them could not be judged by its windows.
 */
function templateWindowProblems(windows: readonly MaintenanceWindow[]): { path: string; message: string }[] {
  return windows.flatMap((window, i) => {
    const parsed = parseAwsCron(window.startTime);
    return parsed.ok
      ? []
      : [
          {
            path: `jobTemplate.maintenanceWindows.${i}.startTime`,
            message: `${window.startTime} ${parsed.problem}`,
          },
        ];
  });
}

/**
 * @throws ValidationError naming `field` when the template `jobTemplateId` has windows fleetwave cannot read
 */
export function checkTemplateWindows(
  jobTemplateId: string,
  windows: readonly MaintenanceWindow[],
  consequence: string,
): void {
  const problems = templateWindowProblems(windows);
  if (problems.length === 0) return;
  throw new ValidationError(
    `Job template ${jobTemplateId} has maintenance windows fleetwave cannot read (${problems.map((p) => p.message).join('; ')}); ${consequence}.`,
    problems,
  );
}

/**
 * StartRelease: the first task of an execution. It records the release
 * IN_PROGRESS with its execution (write first), resolves the job template
 * (a missing template, or one whose maintenance windows fleetwave cannot
 * read, fails the release here, naming it, before any wave),
 * announces the start and sends the machine to the first wave that has not
 * succeeded. A retry finds the release IN_PROGRESS and does the rest again.
 *
 * A new execution for a release already under way (the local stack resuming
 * after a restart) goes back to where the workflow stood: a BAKING wave
 * waits out the rest of its bake, measured from when it began, then
 * CheckBake (its job is not run again); a release WAITING_APPROVAL enters
 * the gate of its current wave again, whose new token replaces the stale one;
 * a PAUSED release is held again the same way.
 *
 * A release whose `schedulingConfig.startTime` is still ahead is recorded
 * SCHEDULED and sent to WaitForStart, one Wait state that brings it back
 * here at its start time (no Lambda runs, nothing polls meanwhile); then it
 * starts as any other.
 */
import { ConflictError, NotFoundError } from '../domain/errors.js';
import type { Release } from '../domain/release.js';
import { scheduledStartMs, waitsForStart, workflowEndMs } from '../domain/release-schedule.js';
import { checkTemplateWindows } from '../domain/release-schedule-checks.js';
import { isTerminalReleaseStatus } from '../domain/statuses.js';
import type { WorkflowDeps } from './ports.js';
import { loadRelease, moveRelease, waveAt } from './release-context.js';
import { releaseStarted } from './release-events.js';
import { resumeStep } from './resume-step.js';
import { carried, type TaskEvent, type WorkflowState } from './workflow-state.js';

/** What the rest of the workflow carries of the template: its ARN, and its windows when it has some. */
async function templateOf(
  deps: WorkflowDeps,
  release: Release,
): Promise<Pick<WorkflowState, 'jobTemplateArn' | 'templateWindows'>> {
  const template = await deps.templates.resolve(release.jobTemplateId);
  checkTemplateWindows(release.jobTemplateId, template.maintenanceWindows ?? [], 'no wave was started');
  return {
    jobTemplateArn: template.jobTemplateArn,
    ...(template.maintenanceWindows?.length && { templateWindows: template.maintenanceWindows }),
  };
}

/** {@link templateOf}, or nothing when the template is gone (then no wave job is touched). */
async function templateIfAny(
  deps: WorkflowDeps,
  release: Release,
): Promise<Pick<WorkflowState, 'jobTemplateArn' | 'templateWindows'>> {
  try {
    return await templateOf(deps, release);
  } catch (error) {
    if (error instanceof NotFoundError) return {};
    throw error;
  }
}

/**
 * A release whose start time is still ahead: SCHEDULED (from PENDING, with
 * this execution) and on to WaitForStart, which brings it back here at its
 * start. Its template is resolved now, so a missing one fails it at once,
 * not at its start. Nothing else happens: no job, no announcement.
 */
async function schedule(
  deps: WorkflowDeps,
  release: Release,
  out: WorkflowState,
  { now, executionArn }: Pick<TaskEvent, 'now' | 'executionArn'>,
): Promise<WorkflowState> {
  const startTime = release.schedulingConfig?.startTime ?? '';
  if (release.status === 'PENDING') {
    const moved = await moveRelease(deps.store, release.releaseId, {
      to: 'SCHEDULED',
      from: ['PENDING'],
      reason: `Scheduled to start at ${startTime} UTC.`,
      ...(executionArn && { executionArn }),
      at: now,
    });
    if (moved.release.status === 'CANCELED') return { ...out, next: 'canceled' };
  }
  const template = await templateOf(deps, release);
  const at = new Date(scheduledStartMs(release) ?? Date.parse(now)).toISOString();
  return { ...out, ...template, next: 'schedule', start: { at } };
}

export async function startRelease(
  deps: WorkflowDeps,
  { state, now, executionArn }: TaskEvent,
): Promise<WorkflowState> {
  const loaded = await loadRelease(deps.store, state.releaseId);
  let release = loaded.release;
  const waveCount = release.waves.length;
  // Its end time, or the end of its lifetime (its execution's year): a gate or a hold is cut there too.
  const endMs = workflowEndMs(release);
  const out = {
    ...carried(state),
    waveCount,
    ...(endMs !== undefined && { endsAt: new Date(endMs).toISOString() }),
  };
  // Canceled before this execution (a stop cut the cancel's cleanup short): the cancel path
  // finishes it, and needs the template to recognise the running wave's job as its own.
  if (release.status === 'CANCELED')
    return { ...out, ...(await templateIfAny(deps, release)), next: 'canceled' };
  if (isTerminalReleaseStatus(release.status)) {
    throw new ConflictError(
      `Release ${release.releaseId} is already ${release.status}; it does not run again.`,
      release.releaseId,
    );
  }
  const scheduled = release.status === 'PENDING' || release.status === 'SCHEDULED';
  if (scheduled && waitsForStart(release, Date.parse(now))) {
    return schedule(deps, release, out, { now, executionArn });
  }
  if (scheduled) {
    const moved = await moveRelease(deps.store, release.releaseId, {
      to: 'IN_PROGRESS',
      from: ['PENDING', 'SCHEDULED'],
      reason:
        release.status === 'SCHEDULED'
          ? `Started at its start time ${release.schedulingConfig?.startTime ?? ''} UTC.`
          : 'The release workflow started.',
      currentWave: 1,
      ...(executionArn && { executionArn }),
      at: now,
    });
    release = moved.release;
    if (release.status === 'CANCELED') return { ...out, next: 'canceled' };
  }
  const template = await templateOf(deps, release);
  await deps.notifier.publish(releaseStarted(release, now));
  // A gate on no wave, or on one the release does not have, is a malformed record: fail loudly.
  if (release.status === 'WAITING_APPROVAL') waveAt(loaded, release.currentWave);
  // The same rule the local stack's restart reports (resumePoint), and a resume follows.
  return { ...out, ...template, ...resumeStep(loaded, now, { afterRestart: true }) };
}

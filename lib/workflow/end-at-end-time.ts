/**
 * A release reaching its end (its `endTime`, or 364 days after its creation,
 * before its execution's one-year limit): the task that notices it
 * (PrepareWave or StartWave about to start a wave within 46 minutes of the
 * end or refused by IoT for its end time, CheckWave or CheckBake woken at
 * the end) records the release
 * CANCELED, by fleetwave, with the end behaviour it applies, and hands over
 * to CancelRelease, which applies it to the running wave's job
 * (`endedWaveOutcome`) and cancels the waves never started. CANCELED, not
 * FAILED: nothing failed, and `onFailure.rollback` does not fire.
 */
import { WORKFLOW_ACTOR } from '../domain/actors.js';
import type { Release } from '../domain/release.js';
import { endBehaviorOf, endTimeReason } from '../domain/release-schedule.js';
import type { WorkflowDeps } from './ports.js';
import { moveRelease } from './release-context.js';
import type { WorkflowState } from './workflow-state.js';

/** Ends `release` at its end time; a release canceled meanwhile through the API keeps that cancel. */
export async function endAtEndTime(
  deps: Pick<WorkflowDeps, 'store'>,
  release: Release,
  now: string,
): Promise<Pick<WorkflowState, 'next'>> {
  await moveRelease(deps.store, release.releaseId, {
    to: 'CANCELED',
    reason: endTimeReason(release),
    actor: WORKFLOW_ACTOR,
    endedAtEndTime: endBehaviorOf(release),
    at: now,
  });
  return { next: 'canceled' };
}

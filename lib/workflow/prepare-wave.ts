/**
 * PrepareWave: makes wave `nextWaveNumber` ready for its job. It records
 * the wave IN_PROGRESS with its deterministic job id, cohort group and
 * expected size (write first), then, for a percentage wave, materialises
 * the cohort as a static thing group. After an approval it also takes the
 * release back to IN_PROGRESS. A release with a pause asked for is held
 * here instead, before anything of the wave is recorded. A retry finds the wave already IN_PROGRESS
 * with the same job id and only adds the cohort members still missing.
 *
 * A halted wave (its last job canceled by a pause with `haltRollout`) comes
 * here once resumed: it goes on with a follow-up job over its things that
 * never started (follow-up-job.ts), or, when none is left, straight to its
 * verdict (CheckWave). Still paused (a restart), it is held again.
 */
import { cohortThingGroupName } from '../domain/cohorts.js';
import { mayStartWave } from '../domain/release-schedule.js';
import { awaitsFollowUp } from '../domain/wave-halt.js';
import { waveJobId } from '../domain/wave-job.js';
import { cohortOf, fillCohortGroup } from './cohort-group.js';
import { endAtEndTime } from './end-at-end-time.js';
import { prepareFollowUp } from './follow-up-job.js';
import type { WorkflowDeps } from './ports.js';
import { loadRelease, resumeAfterApproval, waveAt } from './release-context.js';
import { carried, type TaskEvent, type WorkflowState } from './workflow-state.js';

export async function prepareWave(deps: WorkflowDeps, { state, now }: TaskEvent): Promise<WorkflowState> {
  const loaded = await loadRelease(deps.store, state.releaseId);
  const {
    definition,
    waveNumber,
    state: wave,
  } = waveAt(loaded, state.nextWaveNumber ?? state.waveNumber ?? 1);
  const out: WorkflowState = { ...carried(state), waveNumber };
  const release = await resumeAfterApproval(deps.store, loaded.release, now, state.approval, waveNumber);
  if (release.status === 'CANCELED') return { ...out, next: 'canceled' };
  // Within 46 minutes of the end (`WAVE_START_END_MARGIN_MS`) IoT could refuse the job: the release ends.
  const starts = wave.status === 'PENDING' || (wave.status === 'IN_PROGRESS' && awaitsFollowUp(wave));
  if (starts && !mayStartWave(release, Date.parse(now)))
    return { ...out, ...(await endAtEndTime(deps, release, now)) };
  // A pause asked for holds the release here, at the wave boundary: no job is created while held.
  // A wave that already started (a release resumed after a restart) goes on to its verdict first:
  // its job runs, and only a watched wave may run.
  if (release.pause && wave.status === 'PENDING') return { ...out, next: 'hold' };
  if (wave.status === 'IN_PROGRESS' && awaitsFollowUp(wave)) {
    if (release.pause) return { ...out, next: 'hold' };
    return { ...out, next: await prepareFollowUp(deps, release, definition, wave, now) };
  }

  const jobId = waveJobId(release.releaseId, waveNumber);
  if (definition.percentage === undefined) {
    const things = definition.targets?.things ?? [];
    // Groups can hold any number of things: the size is known once IoT counts the executions.
    const known = (definition.targets?.thingGroups ?? []).length === 0;
    await deps.store.startWave(release.releaseId, waveNumber, {
      jobId,
      ...(known && { expectedThings: things.length }),
      at: now,
    });
    return { ...out, next: 'start' };
  }
  const cohort = await cohortOf(deps.groups, release, waveNumber);
  await deps.store.startWave(release.releaseId, waveNumber, {
    jobId,
    thingGroupName: cohortThingGroupName(release.releaseId, waveNumber),
    expectedThings: cohort.length,
    at: now,
  });
  await fillCohortGroup(deps.groups, release, waveNumber, cohort);
  return { ...out, next: 'start' };
}

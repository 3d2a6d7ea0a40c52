/**
 * The rest of a halted wave, once its release is resumed: the wave's things
 * that never started (lib/domain/wave-halt.ts) go into the static thing
 * group of a follow-up job, `fleetwave-<releaseId>-w<nn>-r<k>`, before the
 * job is recorded on the wave; StartWave then creates the job
 * `<releaseId>-w<nn>-r<k>` targeting that group. A retry finds the same
 * things (the wave's earlier jobs have ended, so their executions no longer
 * change), fills only what is missing, and adopts its own job.
 *
 * Costs: one ListJobExecutionsForJob page (250 executions) per 250 things
 * of each earlier job, ListThingsInThingGroup for the wave's groups, and
 * one AddThingToThingGroup per thing left.
 */
import type { Release, WaveState } from '../domain/release.js';
import type { WaveDefinition } from '../domain/release-request.js';
import {
  followUpGroupName,
  followUpJobId,
  type ThingExecution,
  thingsNeverStarted,
} from '../domain/wave-halt.js';
import { waveJobIds } from '../domain/wave-job.js';
import { fillThingGroup } from './cohort-group.js';
import type { WorkflowDeps } from './ports.js';

/** The things of a wave: its cohort group's members, or the things it names with its groups expanded. */
async function waveThings(
  groups: WorkflowDeps['groups'],
  definition: WaveDefinition,
  wave: WaveState,
): Promise<string[]> {
  if (definition.percentage !== undefined && wave.thingGroupName) {
    return groups.listThings(wave.thingGroupName, { recursive: false });
  }
  const things = new Set(definition.targets?.things ?? []);
  for (const group of definition.targets?.thingGroups ?? []) {
    for (const thing of await groups.listThings(group, { recursive: true })) things.add(thing);
  }
  return [...things];
}

/** What the wave goes on with: a follow-up job (`start`), or nothing left to run (`check`). */
export type FollowUp = 'start' | 'check';

/**
 * Records how halted `wave` goes on: its follow-up job over the things that
 * never started, its group filled first; or, when every thing started,
 * nothing (the wave is judged on what ran).
 */
export async function prepareFollowUp(
  deps: Pick<WorkflowDeps, 'store' | 'jobs' | 'groups'>,
  release: Release,
  definition: WaveDefinition,
  wave: WaveState,
  now: string,
): Promise<FollowUp> {
  const { releaseId } = release;
  const { waveNumber } = wave;
  const executions: ThingExecution[] = [];
  for (const jobId of waveJobIds(wave)) executions.push(...(await deps.jobs.listExecutions(jobId)));
  const left = thingsNeverStarted(await waveThings(deps.groups, definition, wave), executions);
  if (left.length === 0) {
    await deps.store.changeWaveHalt(releaseId, waveNumber, { resumed: { at: now } });
    return 'check';
  }
  const jobId = followUpJobId(releaseId, waveNumber, (wave.followUpJobIds?.length ?? 0) + 1);
  const holds = `the things of wave ${waveNumber} that never started (${jobId})`;
  await fillThingGroup(deps.groups, { releaseId, groupName: followUpGroupName(jobId), holds }, left);
  await deps.store.changeWaveHalt(releaseId, waveNumber, { resumed: { followUpJobId: jobId, at: now } });
  return 'start';
}

/**
 * PrepareWave for percentage waves with in-memory fakes: the cohort group
 * holds exactly the wave's things, a retry after a partial fill adds only
 * what is missing, and a group of that name holding other things is refused.
 */
import { describe, expect, it } from 'vitest';
import { assignCohorts, cohortThingGroupName } from '../../../lib/domain/cohorts.js';
import { ConflictError } from '../../../lib/domain/errors.js';
import { prepareWave } from '../../../lib/workflow/prepare-wave.js';
import { startRelease } from '../../../lib/workflow/start-release.js';
import { type FakeWorkflow, fakeWorkflow, NOW } from './fakes.js';

const fleet = Array.from({ length: 200 }, (_, i) => `thing-${String(i).padStart(3, '0')}`);
const waves = [{ percentage: 10 }, { percentage: 100 }];

async function started(deps: FakeWorkflow) {
  await deps.store.seed({
    releaseId: 'pct',
    jobTemplateId: 'fw-2-0',
    targets: { thingGroups: ['fleet'], things: ['extra-1'] },
    waves,
  });
  return startRelease(deps, { state: { releaseId: 'pct' }, now: NOW });
}

describe('PrepareWave for a percentage wave', () => {
  const cohorts = assignCohorts('pct', [...fleet, 'extra-1'], waves);

  it('records the cohort group and size first, then fills the group with exactly the cohort', async () => {
    const deps = fakeWorkflow({ fleet });
    const out = await prepareWave(deps, { state: await started(deps), now: NOW });
    expect(out).toMatchObject({ next: 'start', waveNumber: 1 });
    const group = cohortThingGroupName('pct', 1);
    expect([...(deps.groups.groups.get(group) ?? [])].sort()).toEqual(cohorts.get(1));
    expect(await deps.store.getWave('pct', 1)).toMatchObject({
      status: 'IN_PROGRESS',
      jobId: 'pct-w01',
      thingGroupName: group,
      expectedThings: cohorts.get(1)?.length,
    });
  });

  it('adds only the missing things when a retry follows a partial fill', async () => {
    const deps = fakeWorkflow({ fleet });
    const state = await started(deps);
    deps.groups.failAddsAfter = 5;
    await expect(
      prepareWave(deps, { state: { ...state, nextWaveNumber: 2 }, now: NOW }),
    ).rejects.toBeInstanceOf(ConflictError);
    const firstAdds = deps.groups.adds;
    expect(firstAdds).toBe(5);
    deps.groups.failAddsAfter = undefined;
    await prepareWave(deps, { state: { ...state, nextWaveNumber: 2 }, now: NOW });
    expect(deps.groups.adds - firstAdds).toBe((cohorts.get(2)?.length ?? 0) - 5);
    expect([...(deps.groups.groups.get(cohortThingGroupName('pct', 2)) ?? [])].sort()).toEqual(
      cohorts.get(2),
    );
  });

  it("refuses a group of the cohort's name that holds other things", async () => {
    const deps = fakeWorkflow({ fleet, [cohortThingGroupName('pct', 1)]: ['someone-else'] });
    await expect(prepareWave(deps, { state: await started(deps), now: NOW })).rejects.toThrow(
      /holds 1 things outside wave 1's cohort \(e\.g\. someone-else\)/,
    );
  });
});

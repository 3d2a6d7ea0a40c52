import { describe, expect, it } from 'vitest';
import { releaseGroupNames } from '../../../lib/domain/release-groups.js';
import { parseReleaseRequest } from '../../../lib/domain/release-request.js';
import { MemoryReleaseStore } from '../../support/memory-release-store.js';

const NOW = '2026-01-01T00:00:00.000Z';

describe('releaseGroupNames', () => {
  it('names the cohort group of every percentage wave, started or not, and none for waves with their own targets', async () => {
    const store = new MemoryReleaseStore(() => NOW);
    store.seed(
      {
        releaseId: 'p1',
        jobTemplateId: 'fw',
        targets: { thingGroups: ['fleet'] },
        waves: [{ targets: { things: ['canary-1'] } }, { percentage: 10 }, { percentage: 100 }],
      },
      'SUCCEEDED',
      [{ status: 'SUCCEEDED' }, { status: 'SUCCEEDED' }],
    );
    expect(releaseGroupNames(await store.getRelease('p1'))).toEqual(['fleetwave-p1-w02', 'fleetwave-p1-w03']);
  });

  it("adds each halted wave's follow-up groups, each name once", async () => {
    const store = new MemoryReleaseStore(() => NOW);
    store.seed(
      {
        releaseId: 'h1',
        jobTemplateId: 'fw',
        targets: { thingGroups: ['fleet'] },
        waves: [{ percentage: 100 }],
      },
      'CANCELED',
      [{ status: 'CANCELED', jobId: 'h1-w01', followUpJobIds: ['h1-w01-r1', 'h1-w01-r2', 'h1-w01-r1'] }],
    );
    expect(releaseGroupNames(await store.getRelease('h1'))).toEqual([
      'fleetwave-h1-w01',
      'fleetwave-h1-w01-r1',
      'fleetwave-h1-w01-r2',
    ]);
  });

  it("names a retry's target group, and never the groups a release merely targets", async () => {
    const store = new MemoryReleaseStore(() => NOW);
    const thingGroupName = 'fleetwave-src-retry-targets';
    const { value } = await store.createRelease(
      parseReleaseRequest({
        releaseId: 'src-retry',
        jobTemplateId: 'fw',
        targets: { thingGroups: [thingGroupName] },
        waves: [{ targets: { thingGroups: [thingGroupName, 'doors'] } }],
      }),
      'test',
      {
        retryOf: 'src',
        targetSet: { sourceReleaseId: 'src', statuses: ['FAILED'], thingGroupName },
      },
    );
    expect(releaseGroupNames({ release: value, waves: [] })).toEqual([thingGroupName]);
  });

  it('names nothing for a release of its own targets only', async () => {
    const store = new MemoryReleaseStore(() => NOW);
    store.seed({ releaseId: 'plain', jobTemplateId: 'fw', waves: [{ targets: { thingGroups: ['doors'] } }] });
    expect(releaseGroupNames(await store.getRelease('plain'))).toEqual([]);
  });
});

/**
 * The static thing groups a release created go once it has ended, on every
 * ending the workflow has (success, a failed wave, a cancel, a refusal, the
 * catch-all failure record), best effort: a DeleteThingGroup that fails is
 * logged with the release id, and the release ends as it would have.
 */
import { describe, expect, it, vi } from 'vitest';
import { ThrottledError } from '../../../lib/domain/errors.js';
import type { ReleaseStatus, WaveStatus } from '../../../lib/domain/statuses.js';
import { logger } from '../../../lib/logger.js';
import { cancelRelease } from '../../../lib/workflow/cancel-release.js';
import { deleteGroupsOfRelease, deleteReleaseGroups } from '../../../lib/workflow/delete-release-groups.js';
import { failWave } from '../../../lib/workflow/fail-wave.js';
import { finishRelease } from '../../../lib/workflow/finish-release.js';
import { recordFailure } from '../../../lib/workflow/record-failure.js';
import { refuseApproval } from '../../../lib/workflow/refuse-approval.js';
import { useQuietEnv } from '../../support/quiet-env.js';
import { type FakeWorkflow, fakeWorkflow, NOW, TEMPLATE_ARN } from './fakes.js';

useQuietEnv();

/** Every group release `p1` (10 % → 100 %, wave 1 halted once) may have made. */
const P1_GROUPS = ['fleetwave-p1-w01', 'fleetwave-p1-w02', 'fleetwave-p1-w01-r1'];

/** A two-wave percentage release whose first wave was halted once and went on with a follow-up job. */
function seedPercentage(deps: FakeWorkflow, status: ReleaseStatus, waves: [WaveStatus, WaveStatus]) {
  deps.store.seed(
    {
      releaseId: 'p1',
      jobTemplateId: 'fw-2-0',
      targets: { thingGroups: ['fleet'] },
      waves: [{ percentage: 10 }, { percentage: 100 }],
    },
    status,
    [
      {
        status: waves[0],
        jobId: 'p1-w01',
        followUpJobIds: ['p1-w01-r1'],
        thingGroupName: 'fleetwave-p1-w01',
      },
      { status: waves[1] },
    ],
  );
  // The groups exist, made by the release, beside the fleet the release targets (never deleted).
  for (const name of ['fleet', ...P1_GROUPS]) deps.groups.groups.set(name, new Set(['t1']));
  for (const name of P1_GROUPS) deps.groups.descriptions.set(name, `fleetwave release p1: ${name}`);
}

const state = { releaseId: 'p1', waveNumber: 1, jobTemplateArn: TEMPLATE_ARN };
const failure = { waveStatus: 'FAILED', cause: 'FAILURE_THRESHOLD', reason: '3 of 10 failed.' } as const;

describe('deleting the thing groups of an ended release', () => {
  it('FinishRelease deletes them once the release is SUCCEEDED, and keeps the fleet', async () => {
    const deps = fakeWorkflow();
    seedPercentage(deps, 'IN_PROGRESS', ['SUCCEEDED', 'SUCCEEDED']);
    expect(await finishRelease(deps, { state, now: NOW })).toMatchObject({ next: 'succeeded' });
    expect((await deps.store.getRelease('p1')).release.status).toBe('SUCCEEDED');
    expect(deps.groups.deletedGroups).toEqual(P1_GROUPS);
    expect([...deps.groups.groups.keys()]).toEqual(['fleet']);
  });

  it('FailWave deletes them after the release is FAILED and announced', async () => {
    const deps = fakeWorkflow();
    seedPercentage(deps, 'IN_PROGRESS', ['IN_PROGRESS', 'PENDING']);
    expect(await failWave(deps, { state: { ...state, failure }, now: NOW })).toMatchObject({
      next: 'failed',
    });
    expect((await deps.store.getRelease('p1')).release.status).toBe('FAILED');
    expect(deps.notifier.types.at(-1)).toBe('Release Failed');
    expect(deps.groups.deletedGroups).toEqual(P1_GROUPS);
  });

  it('FailWave leaves them to the cancel path when the API canceled the release first', async () => {
    const deps = fakeWorkflow();
    seedPercentage(deps, 'CANCELED', ['IN_PROGRESS', 'PENDING']);
    expect(await failWave(deps, { state: { ...state, failure }, now: NOW })).toMatchObject({
      next: 'canceled',
    });
    expect(deps.groups.deletedGroups).toEqual([]);
    await cancelRelease(deps, { state, now: NOW });
    expect(deps.groups.deletedGroups).toEqual(P1_GROUPS);
  });

  it('CancelRelease, RecordFailure and RefuseApproval delete them too', async () => {
    const canceled = fakeWorkflow();
    seedPercentage(canceled, 'CANCELED', ['IN_PROGRESS', 'PENDING']);
    await cancelRelease(canceled, { state, now: NOW });
    expect(canceled.groups.deletedGroups).toEqual(P1_GROUPS);

    const crashed = fakeWorkflow();
    seedPercentage(crashed, 'IN_PROGRESS', ['IN_PROGRESS', 'PENDING']);
    const error = { Error: 'UpstreamError', Cause: 'IoT is down' };
    expect(await recordFailure(crashed, { state: { ...state, error }, now: NOW })).toMatchObject({
      next: 'failed',
    });
    expect((await crashed.store.getRelease('p1')).release.status).toBe('FAILED');
    expect(crashed.groups.deletedGroups).toEqual(P1_GROUPS);

    const refused = fakeWorkflow();
    seedPercentage(refused, 'WAITING_APPROVAL', ['SUCCEEDED', 'PENDING']);
    const rejection = { Error: 'ApprovalRejected', Cause: 'no' };
    expect(
      await refuseApproval(refused, { state: { releaseId: 'p1', error: rejection }, now: NOW }),
    ).toMatchObject({ next: 'failed' });
    expect((await refused.store.getRelease('p1')).release.status).toBe('FAILED');
    expect(refused.groups.deletedGroups).toEqual(P1_GROUPS);
  });

  it('RecordFailure on a release that had already SUCCEEDED deletes what its end may have left', async () => {
    const deps = fakeWorkflow();
    seedPercentage(deps, 'SUCCEEDED', ['SUCCEEDED', 'SUCCEEDED']);
    const error = { Error: 'ThrottledError', Cause: 'EventBridge' };
    expect(await recordFailure(deps, { state: { ...state, error }, now: NOW })).toMatchObject({
      next: 'failed',
    });
    expect((await deps.store.getRelease('p1')).release.status).toBe('SUCCEEDED');
    expect(deps.groups.deletedGroups).toEqual(P1_GROUPS);
  });

  it('a failing DeleteThingGroup neither fails nor changes the end: the release is SUCCEEDED and announced', async () => {
    const deps = fakeWorkflow();
    seedPercentage(deps, 'IN_PROGRESS', ['SUCCEEDED', 'SUCCEEDED']);
    deps.groups.failDeletes = new ThrottledError('Rate exceeded');
    const warn = vi.spyOn(logger(), 'warn').mockImplementation(() => {});
    try {
      expect(await finishRelease(deps, { state, now: NOW })).toMatchObject({ next: 'succeeded' });
      expect(warn).toHaveBeenCalledTimes(P1_GROUPS.length);
      expect(warn).toHaveBeenCalledWith('thing group of an ended release not deleted', {
        releaseId: 'p1',
        thingGroupName: 'fleetwave-p1-w01',
        cause: 'ThrottledError: Rate exceeded',
      });
    } finally {
      warn.mockRestore();
    }
    expect((await deps.store.getRelease('p1')).release.status).toBe('SUCCEEDED');
    expect(deps.notifier.types.at(-1)).toBe('Release Succeeded');
  });

  it('leaves a group of the same name that the release did not make (another description), and says so', async () => {
    const deps = fakeWorkflow();
    seedPercentage(deps, 'IN_PROGRESS', ['SUCCEEDED', 'SUCCEEDED']);
    deps.groups.descriptions.set('fleetwave-p1-w01', 'the lab doors, kept by hand');
    const warnings: string[] = [];
    const left = await deleteReleaseGroups(deps.groups, await deps.store.getRelease('p1'), (message) => {
      warnings.push(message);
    });
    expect(left).toEqual(['fleetwave-p1-w01']);
    expect(deps.groups.groups.has('fleetwave-p1-w01')).toBe(true);
    expect(deps.groups.deletedGroups).not.toContain('fleetwave-p1-w01');
    expect(warnings).toEqual(['thing group named like a group of this release, but not made by it: left']);
  });

  it('the helper tries every group, logs each failure with the release id, and returns what is left', async () => {
    const deps = fakeWorkflow();
    seedPercentage(deps, 'SUCCEEDED', ['SUCCEEDED', 'SUCCEEDED']);
    const loaded = await deps.store.getRelease('p1');
    let calls = 0;
    const groups = {
      describe: async (name: string) => ({ description: `fleetwave release p1: ${name}` }),
      delete: async (name: string) => {
        calls++;
        if (name === 'fleetwave-p1-w02') throw new ThrottledError('Rate exceeded');
      },
    };
    const warnings: { message: string; fields: Record<string, unknown> }[] = [];
    const left = await deleteReleaseGroups(groups, loaded, (message, fields) => {
      warnings.push({ message, fields });
    });
    expect(calls).toBe(3);
    expect(left).toEqual(['fleetwave-p1-w02']);
    expect(warnings).toEqual([
      {
        message: 'thing group of an ended release not deleted',
        fields: {
          releaseId: 'p1',
          thingGroupName: 'fleetwave-p1-w02',
          cause: 'ThrottledError: Rate exceeded',
        },
      },
    ]);
  });

  it('deleteGroupsOfRelease reads the release first; a release it cannot read is logged, not thrown', async () => {
    const deps = fakeWorkflow();
    seedPercentage(deps, 'SUCCEEDED', ['SUCCEEDED', 'SUCCEEDED']);
    await deleteGroupsOfRelease(deps, 'p1', () => {});
    expect(deps.groups.deletedGroups).toEqual(P1_GROUPS);
    const warnings: Record<string, unknown>[] = [];
    await deleteGroupsOfRelease(deps, 'missing', (_message, fields) => {
      warnings.push(fields);
    });
    expect(warnings).toEqual([{ releaseId: 'missing', cause: expect.stringMatching(/^NotFoundError/) }]);
  });
});

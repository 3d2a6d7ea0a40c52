/**
 * The static thing groups a percentage release creates (one cohort group
 * per wave) are deleted once it has ended: a release that SUCCEEDED through
 * the workflow's FinishRelease, and one canceled through the API, whose
 * cleanup stops the execution (so the workflow never reaches its own end)
 * and deletes them itself. The fleet's own groups stay. What the cohort
 * groups held is read from the registry's membership listener, since the
 * groups are gone by the time the test looks.
 */
import { DescribeThingGroupCommand, ListThingGroupsCommand } from '@aws-sdk/client-iot';
import { afterAll, describe, expect, it } from 'vitest';
import { cohortThingGroupName } from '../../../lib/domain/cohorts.js';
import { fixedProfile } from '../../support/fleet.js';
import { type MembershipRecord, recordMemberships } from '../../support/group-memberships.js';
import { api } from '../../support/local-stack.js';
import {
  describeExecution,
  runUntilClosed,
  runUntilRead,
  type StackClients,
  startRelease,
  useWorkflowStack,
  type WorkflowStack,
} from '../../support/workflow.js';

const waves = [{ percentage: 30 }, { percentage: 100 }];

/** The groups whose names start with `prefix`, as ListThingGroups gives them. */
async function groupsNamed(clients: StackClients, prefix: string): Promise<string[]> {
  const out = await clients.iot.send(new ListThingGroupsCommand({ namePrefixFilter: prefix }));
  return (out.thingGroups ?? []).map((g) => g.groupName ?? '');
}

/** DescribeThingGroup's error name for a group, or 'found'. */
async function describeGroup(clients: StackClients, thingGroupName: string): Promise<string> {
  try {
    await clients.iot.send(new DescribeThingGroupCommand({ thingGroupName }));
    return 'found';
  } catch (error) {
    return (error as Error).name;
  }
}

describe('release workflow: the thing groups a release created go when it ends', () => {
  const env = useWorkflowStack({
    fleet: { size: 40, canaryShare: 0 },
    profiles: fixedProfile({ startSeconds: 5, runSeconds: 3600 }),
  });
  let recorded: MembershipRecord | undefined;
  const memberships = (ws: WorkflowStack) => {
    recorded ??= recordMemberships(ws.stack.iot.registry.things);
    return recorded;
  };
  afterAll(() => recorded?.stop());

  it('a percentage release that SUCCEEDED leaves none of its cohort groups, and the fleet group as it was', async () => {
    const ws = env();
    const { stack, clients } = ws;
    const joined = memberships(ws);
    const fleetBefore = await groupsNamed(clients, 'fleet');
    const simulator = stack.fleet.simulator;
    const before = simulator.getProfiles();
    simulator.setProfiles(fixedProfile({ startSeconds: 5, runSeconds: 30 }));
    try {
      const { releaseId, executionArn } = await startRelease(stack, clients, {
        releaseId: 'groups-ok',
        jobTemplateId: 'fw-2-0',
        targets: { thingGroups: ['fleet'] },
        waves,
      });
      expect((await runUntilClosed(stack, clients, executionArn)).status).toBe('SUCCEEDED');
      expect((await clients.repository.getRelease(releaseId)).release.status).toBe('SUCCEEDED');
      const cohorts = [1, 2].map((n) => cohortThingGroupName(releaseId, n));
      // Both cohort groups were made and filled: together they held the whole fleet.
      const held = cohorts.flatMap((name) => joined.joined(name));
      expect(held.length).toBe(40);
      expect(new Set(held).size).toBe(40);
      for (const name of cohorts)
        expect(await describeGroup(clients, name)).toBe('ResourceNotFoundException');
      expect(await groupsNamed(clients, `fleetwave-${releaseId}`)).toEqual([]);
      expect(await groupsNamed(clients, 'fleet')).toEqual(fleetBefore);
    } finally {
      simulator.setProfiles(before);
    }
  });

  it('a percentage release canceled through the API leaves none: the API deletes them once it stopped the execution', async () => {
    const ws = env();
    const { stack, clients } = ws;
    const joined = memberships(ws);
    const { releaseId, executionArn } = await startRelease(stack, clients, {
      releaseId: 'groups-cancel',
      jobTemplateId: 'fw-2-0',
      targets: { thingGroups: ['fleet'] },
      waves,
    });
    await runUntilRead(
      stack,
      () => clients.repository.getWave(releaseId, 1),
      (wave) => (wave.counts?.numberOfInProgressThings ?? 0) > 0,
      'wave 1 running',
    );
    const first = cohortThingGroupName(releaseId, 1);
    expect(await describeGroup(clients, first)).toBe('found');
    expect(joined.joined(first).length).toBeGreaterThan(0);

    const res = await api(stack, 'POST', `/releases/${releaseId}/cancel`, { comment: 'wrong build' });
    expect(res.status).toBe(200);
    expect(res.json.release.status).toBe('CANCELED');
    // The API stopped the execution: the workflow's own CancelRelease never ran.
    expect((await describeExecution(clients, executionArn)).status).toBe('ABORTED');
    expect(await describeGroup(clients, first)).toBe('ResourceNotFoundException');
    expect(await groupsNamed(clients, `fleetwave-${releaseId}`)).toEqual([]);
  });
});

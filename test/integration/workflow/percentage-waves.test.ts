/**
 * Scenario 4: percentage waves 1 % → 10 % → 100 % of a 2,000-thing fleet.
 * Each wave's cohort is a static thing group; the cohorts are disjoint and
 * cover the fleet, match `assignCohorts`, and a second run of the same
 * release id on a fresh stack (same fleet) puts the same things in each.
 * Once the release has SUCCEEDED its cohort groups are gone (what they held
 * is read from the registry's membership listener).
 */
import { ListThingGroupsCommand, ListThingsInThingGroupCommand } from '@aws-sdk/client-iot';
import { afterAll, describe, expect, it } from 'vitest';
import { assignCohorts, cohortThingGroupName } from '../../../lib/domain/cohorts.js';
import type { ReleaseRequestInput } from '../../../lib/domain/release-request.js';
import { VirtualClock } from '../../../local/clock/virtual-clock.js';
import { fixedProfile } from '../../support/fleet.js';
import { recordMemberships } from '../../support/group-memberships.js';
import { startTestStack } from '../../support/local-stack.js';
import {
  clientsFor,
  createTemplate,
  runUntilClosed,
  type StackClients,
  startRelease,
  WORKFLOW_T0,
} from '../../support/workflow.js';

const FLEET = 2000;
const request: ReleaseRequestInput = {
  releaseId: 'pct-1',
  jobTemplateId: 'fw-3-0',
  targets: { thingGroups: ['fleet'] },
  waves: [{ percentage: 1 }, { percentage: 10 }, { percentage: 100 }],
};

async function members(clients: StackClients, thingGroupName: string, recursive = false): Promise<string[]> {
  const things: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await clients.iot.send(
      new ListThingsInThingGroupCommand({ thingGroupName, recursive, maxResults: 250, nextToken }),
    );
    things.push(...(page.things ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return things.sort();
}

/** Runs the release on a fresh stack with the same seeded fleet; returns each wave's cohort group members. */
async function runOnFreshStack() {
  const stack = await startTestStack({
    clock: new VirtualClock({ start: WORKFLOW_T0, mode: { kind: 'manual' } }),
    fleet: { size: FLEET, seed: 'pct-fleet' },
    profiles: fixedProfile({ startSeconds: 10, runSeconds: 120 }),
  });
  const clients = clientsFor(stack);
  const memberships = recordMemberships(stack.iot.registry.things);
  try {
    await createTemplate(clients, 'fw-3-0');
    const { executionArn } = await startRelease(stack, clients, request);
    const done = await runUntilClosed(stack, clients, executionArn);
    const { release, waves } = await clients.repository.getRelease('pct-1');
    const cohorts = [1, 2, 3].map((n) => memberships.joined(cohortThingGroupName('pct-1', n)));
    const fleet = await members(clients, 'fleet', true);
    const groupsLeft = (
      await clients.iot.send(new ListThingGroupsCommand({ namePrefixFilter: 'fleetwave-' }))
    ).thingGroups;
    return { done, release, waves, cohorts, fleet, groupsLeft };
  } finally {
    memberships.stop();
    clients.destroy();
    await stack.close();
  }
}

describe('release workflow: percentage waves', () => {
  let first: Awaited<ReturnType<typeof runOnFreshStack>> | undefined;
  afterAll(() => {
    first = undefined;
  });

  it('puts 1 %, 10 % and 100 % of a 2,000-thing fleet in disjoint cohort groups that cover it', async () => {
    first = await runOnFreshStack();
    expect(first.done.status).toBe('SUCCEEDED');
    expect(first.release.status).toBe('SUCCEEDED');
    // The cohort groups went with the release's end; the fleet's own groups stay.
    expect(first.groupsLeft).toEqual([]);
    expect(first.fleet).toHaveLength(FLEET);
    const [w1 = [], w2 = [], w3 = []] = first.cohorts;
    const all = [...w1, ...w2, ...w3];
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(FLEET);
    expect(all.sort()).toEqual(first.fleet);
    // Cumulative shares: about 1 %, 9 % and 90 % of the fleet (buckets of a hash).
    expect(w1.length).toBeGreaterThan(5);
    expect(w1.length).toBeLessThan(40);
    expect(w1.length + w2.length).toBeGreaterThan(150);
    expect(w1.length + w2.length).toBeLessThan(250);
    // Each wave reached exactly its cohort.
    expect(first.waves.map((w) => w.expectedThings)).toEqual(first.cohorts.map((c) => c.length));
    expect(first.waves.map((w) => w.counts?.numberOfSucceededThings)).toEqual(
      first.cohorts.map((c) => c.length),
    );
  });

  it('picks the same things again for the same release id on a fresh stack', async () => {
    const firstRun = first ?? (await runOnFreshStack());
    const second = await runOnFreshStack();
    expect(second.done.status).toBe('SUCCEEDED');
    expect(second.cohorts).toEqual(firstRun.cohorts);
    const expected = assignCohorts(
      'pct-1',
      second.fleet,
      request.waves.map((w) => ({ percentage: w.percentage })),
    );
    expect(second.cohorts).toEqual([1, 2, 3].map((n) => expected.get(n)));
  });
});

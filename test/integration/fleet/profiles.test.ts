import { CreateJobCommand } from '@aws-sdk/client-iot';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedProfile, minute } from '../../support/fleet.js';
import { describeJob, type FleetEndpoint, groupArn, startFleetEndpoint } from './fleet-endpoint.js';

let ep: FleetEndpoint;
afterEach(async () => ep.close());

describe('Behaviour profiles over the IoT thing registry', () => {
  it('applies an override for a thing group to the things of its child groups', async () => {
    // Every planned group sits under the root group `fleet`; the override names only the root.
    ep = await startFleetEndpoint({
      profiles: fixedProfile({}, [{ match: { thingGroup: 'fleet' }, outcomes: { reject: 1 } }]),
    });
    ep.fleet.seedFleet({ size: 40 });
    ep.emulator.registry.things.createThing({ thingName: 'outside' });
    ep.emulator.registry.things.createThingGroup({ thingGroupName: 'lab' });
    ep.emulator.registry.things.addThingToThingGroup('outside', 'lab');
    expect(ep.fleet.things.groupsOf('outside')).toEqual(['lab']);
    await ep.iot.send(
      new CreateJobCommand({
        jobId: 'grouped',
        targets: [groupArn(ep, 'eu-west'), groupArn(ep, 'lab')],
        document: '{}',
      }),
    );
    await ep.clock.advance(10 * minute);
    const { status, details } = await describeJob(ep, 'grouped');
    const euWest = ep.emulator.registry.things.getThingGroup('eu-west')!.members.length;
    expect(euWest).toBeGreaterThan(0);
    expect(status).toBe('COMPLETED');
    expect(details).toMatchObject({ numberOfRejectedThings: euWest, numberOfSucceededThings: 1 });
  });
});

import {
  AddThingToThingGroupCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DeleteThingGroupCommand,
  DescribeThingCommand,
  DescribeThingGroupCommand,
  ListThingGroupsCommand,
  ListThingsInThingGroupCommand,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IotEndpoint, startIotEndpoint } from '../../support/iot-endpoint.js';
import { expectIotError } from './iot-fixtures.js';

describe('IoT DeleteThingGroup', () => {
  let ep: IotEndpoint;
  beforeAll(async () => {
    ep = await startIotEndpoint();
  });
  afterAll(async () => ep.close());

  const groupNames = async (parentGroup?: string) =>
    (await ep.iot.send(new ListThingGroupsCommand({ parentGroup }))).thingGroups?.map((g) => g.groupName);

  it('deletes a group and its memberships; its things stay, in their other groups', async () => {
    for (const thingName of ['dt-a', 'dt-b']) await ep.iot.send(new CreateThingCommand({ thingName }));
    for (const thingGroupName of ['dt-region', 'dt-cohort', 'dt-late']) {
      await ep.iot.send(new CreateThingGroupCommand({ thingGroupName }));
    }
    // dt-a joins region, cohort, late: leaving the middle one keeps the others in order.
    for (const thingGroupName of ['dt-region', 'dt-cohort', 'dt-late']) {
      await ep.iot.send(new AddThingToThingGroupCommand({ thingGroupName, thingName: 'dt-a' }));
    }
    await ep.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'dt-cohort', thingName: 'dt-b' }));

    await ep.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'dt-cohort' }));

    await expectIotError(
      ep.iot.send(new DescribeThingGroupCommand({ thingGroupName: 'dt-cohort' })),
      'ResourceNotFoundException',
      404,
    );
    expect(await groupNames()).not.toContain('dt-cohort');
    expect(await groupNames()).toEqual(expect.arrayContaining(['dt-region', 'dt-late']));
    expect((await ep.iot.send(new DescribeThingCommand({ thingName: 'dt-b' }))).thingName).toBe('dt-b');
    const inRegion = await ep.iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'dt-region' }));
    const inLate = await ep.iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'dt-late' }));
    expect(inRegion.things).toEqual(['dt-a']);
    expect(inLate.things).toEqual(['dt-a']);
  });

  it('answers 200 for a group that does not exist, and for one deleted twice', async () => {
    await expect(
      ep.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'dt-never-there' })),
    ).resolves.toBeDefined();
    await ep.iot.send(new CreateThingGroupCommand({ thingGroupName: 'dt-twice' }));
    await ep.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'dt-twice' }));
    await expect(
      ep.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'dt-twice' })),
    ).resolves.toBeDefined();
  });

  it('refuses a group with child groups, then deletes it once the child is gone', async () => {
    await ep.iot.send(new CreateThingGroupCommand({ thingGroupName: 'dt-parent' }));
    await ep.iot.send(
      new CreateThingGroupCommand({ thingGroupName: 'dt-child-1', parentGroupName: 'dt-parent' }),
    );
    await ep.iot.send(
      new CreateThingGroupCommand({ thingGroupName: 'dt-child-2', parentGroupName: 'dt-parent' }),
    );
    const error = await expectIotError(
      ep.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'dt-parent' })),
      'InvalidRequestException',
      400,
    );
    expect(error.message).toContain('child groups');

    await ep.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'dt-child-1' }));
    expect(await groupNames('dt-parent')).toEqual(['dt-child-2']);
    await ep.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'dt-child-2' }));
    await ep.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'dt-parent' }));
    expect(await groupNames()).not.toContain('dt-parent');
  });

  it('checks expectedVersion', async () => {
    await ep.iot.send(new CreateThingGroupCommand({ thingGroupName: 'dt-versioned' }));
    await expectIotError(
      ep.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'dt-versioned', expectedVersion: 7 })),
      'VersionConflictException',
      409,
    );
    await ep.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'dt-versioned', expectedVersion: 1 }));
    expect(await groupNames()).not.toContain('dt-versioned');
  });

  it('lets a deleted name be created again, empty, under another parent', async () => {
    await ep.iot.send(new CreateThingCommand({ thingName: 'dt-c' }));
    await ep.iot.send(new CreateThingGroupCommand({ thingGroupName: 'dt-reborn' }));
    await ep.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'dt-reborn', thingName: 'dt-c' }));
    await ep.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'dt-reborn' }));
    await ep.iot.send(new CreateThingGroupCommand({ thingGroupName: 'dt-top' }));
    await ep.iot.send(
      new CreateThingGroupCommand({ thingGroupName: 'dt-reborn', parentGroupName: 'dt-top' }),
    );
    const members = await ep.iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'dt-reborn' }));
    expect(members.things).toEqual([]);
    await ep.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'dt-reborn', thingName: 'dt-c' }));
    const recursive = await ep.iot.send(
      new ListThingsInThingGroupCommand({ thingGroupName: 'dt-top', recursive: true }),
    );
    expect(recursive.things).toEqual(['dt-c']);
  });
});

import {
  AddThingToThingGroupCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DescribeThingCommand,
  DescribeThingGroupCommand,
  ListThingGroupsCommand,
  type ListThingGroupsCommandInput,
  ListThingsCommand,
  ListThingsInThingGroupCommand,
  UpdateThingCommand,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IotEndpoint, startIotEndpoint } from '../../support/iot-endpoint.js';
import { expectIotError, groupArn, thingArn } from './iot-fixtures.js';

describe('IoT things and thing groups', () => {
  let ep: IotEndpoint;
  beforeAll(async () => {
    ep = await startIotEndpoint();
  });
  afterAll(async () => ep.close());

  it('creates a thing and describes it', async () => {
    const created = await ep.iot.send(
      new CreateThingCommand({ thingName: 'sensor-1', attributePayload: { attributes: { model: 'x1' } } }),
    );
    expect(created).toMatchObject({ thingName: 'sensor-1', thingArn: thingArn('sensor-1') });
    expect(created.thingId).toMatch(/^[0-9a-f-]{36}$/);
    const described = await ep.iot.send(new DescribeThingCommand({ thingName: 'sensor-1' }));
    expect(described).toMatchObject({
      defaultClientId: 'sensor-1',
      thingName: 'sensor-1',
      thingId: created.thingId,
      thingArn: thingArn('sensor-1'),
      attributes: { model: 'x1' },
      version: 1,
    });
  });

  it('returns the same thing when it is created again identically, and refuses different attributes', async () => {
    const first = await ep.iot.send(
      new CreateThingCommand({ thingName: 'idem', attributePayload: { attributes: { a: '1' } } }),
    );
    const again = await ep.iot.send(
      new CreateThingCommand({ thingName: 'idem', attributePayload: { attributes: { a: '1' } } }),
    );
    expect(again.thingId).toBe(first.thingId);
    const error = await expectIotError(
      ep.iot.send(
        new CreateThingCommand({ thingName: 'idem', attributePayload: { attributes: { a: '2' } } }),
      ),
      'ResourceAlreadyExistsException',
      409,
    );
    expect(error.resourceArn).toBe(thingArn('idem'));
  });

  it('updates a thing: attributes replaced or merged (an empty value removes one), its version counted up', async () => {
    await ep.iot.send(
      new CreateThingCommand({ thingName: 'sensor-u', attributePayload: { attributes: { a: '1', b: '2' } } }),
    );
    await ep.iot.send(
      new UpdateThingCommand({
        thingName: 'sensor-u',
        attributePayload: { attributes: { b: '', c: '3' }, merge: true },
      }),
    );
    const merged = await ep.iot.send(new DescribeThingCommand({ thingName: 'sensor-u' }));
    expect(merged).toMatchObject({ attributes: { a: '1', c: '3' }, version: 2 });
    await ep.iot.send(
      new UpdateThingCommand({
        thingName: 'sensor-u',
        attributePayload: { attributes: { d: '4' } },
        expectedVersion: 2,
      }),
    );
    const replaced = await ep.iot.send(new DescribeThingCommand({ thingName: 'sensor-u' }));
    expect(replaced).toMatchObject({ attributes: { d: '4' }, version: 3 });
    await expectIotError(
      ep.iot.send(new UpdateThingCommand({ thingName: 'sensor-u', expectedVersion: 2 })),
      'VersionConflictException',
      409,
    );
    await expectIotError(
      ep.iot.send(new UpdateThingCommand({ thingName: 'nobody' })),
      'ResourceNotFoundException',
      404,
    );
    expect((await ep.iot.send(new DescribeThingCommand({ thingName: 'sensor-u' }))).version).toBe(3);
  });

  it('answers ResourceNotFoundException for an unknown thing', async () => {
    await expectIotError(
      ep.iot.send(new DescribeThingCommand({ thingName: 'nobody' })),
      'ResourceNotFoundException',
      404,
    );
  });

  it('lists things page by page, and filters by attribute', async () => {
    const local = await startIotEndpoint();
    try {
      for (let i = 0; i < 7; i++) {
        await local.iot.send(
          new CreateThingCommand({
            thingName: `t${i}`,
            attributePayload: { attributes: { ring: i % 2 ? 'odd' : 'even' } },
          }),
        );
      }
      const names: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await local.iot.send(new ListThingsCommand({ maxResults: 3, nextToken }));
        names.push(...(page.things ?? []).map((t) => t.thingName!));
        nextToken = page.nextToken;
      } while (nextToken);
      expect(names).toEqual(['t0', 't1', 't2', 't3', 't4', 't5', 't6']);
      const odd = await local.iot.send(
        new ListThingsCommand({ attributeName: 'ring', attributeValue: 'odd' }),
      );
      expect(odd.things?.map((t) => t.thingName)).toEqual(['t1', 't3', 't5']);
      expect(odd.things?.[0]).toMatchObject({
        thingArn: thingArn('t1'),
        attributes: { ring: 'odd' },
        version: 1,
      });
    } finally {
      await local.close();
    }
  });

  it('creates thing groups in a hierarchy and describes their metadata', async () => {
    const root = await ep.iot.send(
      new CreateThingGroupCommand({
        thingGroupName: 'eu',
        thingGroupProperties: {
          thingGroupDescription: 'Europe',
          attributePayload: { attributes: { region: 'eu' } },
        },
      }),
    );
    expect(root).toMatchObject({ thingGroupName: 'eu', thingGroupArn: groupArn('eu') });
    await ep.iot.send(new CreateThingGroupCommand({ thingGroupName: 'eu-west', parentGroupName: 'eu' }));
    await ep.iot.send(
      new CreateThingGroupCommand({ thingGroupName: 'eu-west-1a', parentGroupName: 'eu-west' }),
    );
    const leaf = await ep.iot.send(new DescribeThingGroupCommand({ thingGroupName: 'eu-west-1a' }));
    expect(leaf).toMatchObject({
      thingGroupName: 'eu-west-1a',
      thingGroupArn: groupArn('eu-west-1a'),
      version: 1,
      thingGroupMetadata: {
        parentGroupName: 'eu-west',
        rootToParentThingGroups: [
          { groupName: 'eu', groupArn: groupArn('eu') },
          { groupName: 'eu-west', groupArn: groupArn('eu-west') },
        ],
      },
    });
    expect(leaf.thingGroupMetadata?.creationDate).toBeInstanceOf(Date);
    const rootDescribed = await ep.iot.send(new DescribeThingGroupCommand({ thingGroupName: 'eu' }));
    expect(rootDescribed.thingGroupProperties).toEqual({
      thingGroupDescription: 'Europe',
      attributePayload: { attributes: { region: 'eu' } },
    });
    expect(rootDescribed.thingGroupId).toBe(root.thingGroupId);
  });

  it('answers ResourceNotFoundException for a missing parent group or an unknown group', async () => {
    await expectIotError(
      ep.iot.send(new CreateThingGroupCommand({ thingGroupName: 'orphan', parentGroupName: 'missing' })),
      'ResourceNotFoundException',
      404,
    );
    await expectIotError(
      ep.iot.send(new DescribeThingGroupCommand({ thingGroupName: 'missing' })),
      'ResourceNotFoundException',
      404,
    );
  });

  it('lists thing groups: all, roots only, children, subtree and by name prefix', async () => {
    const local = await startIotEndpoint();
    try {
      const create = (thingGroupName: string, parentGroupName?: string) =>
        local.iot.send(new CreateThingGroupCommand({ thingGroupName, parentGroupName }));
      await create('na');
      await create('na-east', 'na');
      await create('na-east-1', 'na-east');
      await create('apac');
      const names = async (input: ListThingGroupsCommandInput) =>
        (await local.iot.send(new ListThingGroupsCommand(input))).thingGroups?.map((g) => g.groupName);
      expect(await names({})).toEqual(['na', 'na-east', 'na-east-1', 'apac']);
      expect(await names({ recursive: false })).toEqual(['na', 'apac']);
      expect(await names({ parentGroup: 'na' })).toEqual(['na-east']);
      expect(await names({ parentGroup: 'na', recursive: true })).toEqual(['na-east', 'na-east-1']);
      expect(await names({ namePrefixFilter: 'na-' })).toEqual(['na-east', 'na-east-1']);
      const page = await local.iot.send(new ListThingGroupsCommand({ maxResults: 2 }));
      expect(page.thingGroups).toEqual([
        { groupName: 'na', groupArn: groupArn('na') },
        { groupName: 'na-east', groupArn: groupArn('na-east') },
      ]);
      const rest = await local.iot.send(
        new ListThingGroupsCommand({ maxResults: 2, nextToken: page.nextToken }),
      );
      expect(rest.thingGroups?.map((g) => g.groupName)).toEqual(['na-east-1', 'apac']);
    } finally {
      await local.close();
    }
  });

  it('adds things to a group by name or by ARN, once each, and lists them paged and recursively', async () => {
    await ep.iot.send(new CreateThingGroupCommand({ thingGroupName: 'site' }));
    await ep.iot.send(new CreateThingGroupCommand({ thingGroupName: 'site-room', parentGroupName: 'site' }));
    for (const name of ['d1', 'd2', 'd3']) await ep.iot.send(new CreateThingCommand({ thingName: name }));
    await ep.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'site', thingName: 'd1' }));
    await ep.iot.send(
      new AddThingToThingGroupCommand({ thingGroupArn: groupArn('site'), thingArn: thingArn('d2') }),
    );
    await ep.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'site', thingName: 'd1' }));
    await ep.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'site-room', thingName: 'd3' }));
    await ep.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'site-room', thingName: 'd1' }));

    const direct = await ep.iot.send(
      new ListThingsInThingGroupCommand({ thingGroupName: 'site', maxResults: 1 }),
    );
    expect(direct.things).toEqual(['d1']);
    const directRest = await ep.iot.send(
      new ListThingsInThingGroupCommand({
        thingGroupName: 'site',
        maxResults: 5,
        nextToken: direct.nextToken,
      }),
    );
    expect(directRest.things).toEqual(['d2']);
    expect(directRest.nextToken).toBeUndefined();

    const recursive = await ep.iot.send(
      new ListThingsInThingGroupCommand({ thingGroupName: 'site', recursive: true, maxResults: 2 }),
    );
    expect(recursive.things).toEqual(['d1', 'd2']);
    const recursiveRest = await ep.iot.send(
      new ListThingsInThingGroupCommand({
        thingGroupName: 'site',
        recursive: true,
        nextToken: recursive.nextToken,
      }),
    );
    expect(recursiveRest.things).toEqual(['d3']);
  });

  it('answers ResourceNotFoundException when adding an unknown thing or to an unknown group', async () => {
    await ep.iot.send(new CreateThingGroupCommand({ thingGroupName: 'lonely' }));
    await expectIotError(
      ep.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'lonely', thingName: 'ghost' })),
      'ResourceNotFoundException',
      404,
    );
    await expectIotError(
      ep.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'no-group', thingName: 'd1' })),
      'ResourceNotFoundException',
      404,
    );
    await expectIotError(
      ep.iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'no-group' })),
      'ResourceNotFoundException',
      404,
    );
  });
});

/**
 * `--data-dir` keeps the things and thing groups created through the IoT
 * API, not only the seeded fleet: the stack is launched as `npm start`
 * launches it, changed through the SDK, closed, and launched again on the
 * same directory. A group deleted before the close (as a release deletes
 * its cohorts) stays deleted.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddThingToThingGroupCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DeleteThingGroupCommand,
  DescribeThingCommand,
  DescribeThingGroupCommand,
  IoTClient,
  ListThingsInThingGroupCommand,
} from '@aws-sdk/client-iot';
import { afterAll, describe, expect, it } from 'vitest';
import { iotSnapshotFile } from '../../../local/resume/iot-snapshot.js';
import type { SeededStack } from '../../../local/start/seeded-stack.js';
import { startDataDirStack } from '../../support/data-dir-stack.js';

const fleet = { size: 40, seed: 'registry-resume' };

async function launch(
  dataDir: string,
): Promise<{ launched: SeededStack; iot: IoTClient; close(): Promise<void> }> {
  const launched = await startDataDirStack(dataDir, fleet);
  const iot = new IoTClient({
    endpoint: launched.stack.awsUrl,
    region: launched.stack.region,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  return {
    launched,
    iot,
    close: async () => {
      iot.destroy();
      await launched.close();
    },
  };
}

async function allThingsIn(iot: IoTClient, thingGroupName: string, recursive = false): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await iot.send(
      new ListThingsInThingGroupCommand({ thingGroupName, recursive, maxResults: 250, nextToken }),
    );
    names.push(...(page.things ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return names;
}

describe('--data-dir keeps things and thing groups created through the IoT API', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleetwave-registry-resume-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('brings them back with their ids and memberships after a restart, and after a second one', async () => {
    const first = await launch(dataDir);
    let seededThing: string;
    let before: { thingId?: string; groupId?: string; creationDate?: Date };
    try {
      const { iot } = first;
      seededThing = first.launched.fleet.sampleThingNames[0]!;
      await iot.send(new CreateThingGroupCommand({ thingGroupName: 'lab' }));
      await iot.send(
        new CreateThingGroupCommand({
          thingGroupName: 'lab-bench',
          parentGroupName: 'lab',
          thingGroupProperties: {
            thingGroupDescription: 'test bench',
            attributePayload: { attributes: { floor: '2' } },
          },
        }),
      );
      const probe = await iot.send(
        new CreateThingCommand({ thingName: 'probe-1', attributePayload: { attributes: { kind: 'probe' } } }),
      );
      await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'lab-bench', thingName: 'probe-1' }));
      // Memberships across the line: a seeded thing in an API group, an API thing in the seeded root group.
      await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'lab', thingName: seededThing }));
      await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'fleet', thingName: 'probe-1' }));
      const bench = await iot.send(new DescribeThingGroupCommand({ thingGroupName: 'lab-bench' }));
      before = {
        thingId: probe.thingId,
        groupId: bench.thingGroupId,
        creationDate: bench.thingGroupMetadata?.creationDate,
      };
    } finally {
      await first.close();
    }

    // The snapshot holds what the API added, not the seeded fleet.
    const written = JSON.parse(readFileSync(join(dataDir, iotSnapshotFile), 'utf8'));
    expect(written.registry.things.map((t: { thingName: string }) => t.thingName)).toEqual(['probe-1']);
    expect(written.registry.groups.map((g: { thingGroupName: string }) => g.thingGroupName)).toEqual([
      'lab',
      'lab-bench',
    ]);

    for (const restart of ['first restart', 'second restart']) {
      const again = await launch(dataDir);
      try {
        const { iot } = again;
        expect(again.launched.restored, restart).toMatchObject({ things: 1, thingGroups: 2 });
        const probe = await iot.send(new DescribeThingCommand({ thingName: 'probe-1' }));
        expect(probe, restart).toMatchObject({ thingId: before.thingId, attributes: { kind: 'probe' } });
        const bench = await iot.send(new DescribeThingGroupCommand({ thingGroupName: 'lab-bench' }));
        expect(bench, restart).toMatchObject({
          thingGroupId: before.groupId,
          thingGroupProperties: {
            thingGroupDescription: 'test bench',
            attributePayload: { attributes: { floor: '2' } },
          },
          thingGroupMetadata: { parentGroupName: 'lab', creationDate: before.creationDate },
        });
        expect(await allThingsIn(iot, 'lab', true), restart).toEqual([seededThing, 'probe-1']);
        expect(await allThingsIn(iot, 'fleet'), restart).toEqual(['probe-1']);
        const wholeFleet = await allThingsIn(iot, 'fleet', true);
        expect(wholeFleet, restart).toHaveLength(fleet.size + 1);
        expect(new Set(wholeFleet).size, restart).toBe(fleet.size + 1);
      } finally {
        await again.close();
      }
    }
  });

  it('keeps a group deleted through the API deleted after a restart, its things in their other groups', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetwave-registry-deleted-'));
    try {
      const first = await launch(dir);
      let seededThing: string;
      try {
        const { iot } = first;
        seededThing = first.launched.fleet.sampleThingNames[0]!;
        await iot.send(new CreateThingGroupCommand({ thingGroupName: 'fleetwave-gone-w01' }));
        await iot.send(
          new AddThingToThingGroupCommand({ thingGroupName: 'fleetwave-gone-w01', thingName: seededThing }),
        );
        await iot.send(new CreateThingGroupCommand({ thingGroupName: 'kept' }));
        await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'kept', thingName: seededThing }));
        await iot.send(new DeleteThingGroupCommand({ thingGroupName: 'fleetwave-gone-w01' }));
      } finally {
        await first.close();
      }
      const written = JSON.parse(readFileSync(join(dir, iotSnapshotFile), 'utf8'));
      expect(written.registry.groups.map((g: { thingGroupName: string }) => g.thingGroupName)).toEqual([
        'kept',
      ]);

      const again = await launch(dir);
      try {
        const { iot } = again;
        await expect(
          iot.send(new DescribeThingGroupCommand({ thingGroupName: 'fleetwave-gone-w01' })),
        ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
        expect(await allThingsIn(iot, 'kept')).toEqual([seededThing]);
      } finally {
        await again.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

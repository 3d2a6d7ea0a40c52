/**
 * External things in the fleet admin views, and across a restart with
 * `--data-dir`: the thing stays external (its attribute is kept with the
 * things the API added), a QUEUED execution is notified to its device
 * again, and an IN_PROGRESS one is left to its device and to the job's
 * in-progress timeout, never ended by the simulator. A seeded thing made
 * external with UpdateThing stays so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateJobCommand, CreateThingCommand, UpdateThingCommand } from '@aws-sdk/client-iot';
import { afterEach, describe, expect, it } from 'vitest';
import { persistIot, readIotSnapshot, restoreIotSnapshot } from '../../../local/resume/iot-snapshot.js';
import { markRegistry, type RegistryMark } from '../../../local/resume/registry-changes.js';
import { fixedProfile, minute, second } from '../../support/fleet.js';
import { type FleetEndpoint, groupArn, seedThings, startFleetEndpoint } from '../fleet/fleet-endpoint.js';

const open: FleetEndpoint[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const ep of open.splice(0)) await ep.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const profiles = fixedProfile({ startSeconds: 1, runSeconds: 5 });

/** An endpoint with 3 simulated things in group `fleet`, marked as seeded. */
async function endpoint(): Promise<{ ep: FleetEndpoint; seeded: RegistryMark }> {
  const ep = await startFleetEndpoint({ profiles });
  open.push(ep);
  seedThings(ep, 'fleet', 3);
  return { ep, seeded: markRegistry(ep.emulator.registry.things) };
}

async function addExternal(ep: FleetEndpoint, thingName: string): Promise<void> {
  await ep.iot.send(
    new CreateThingCommand({
      thingName,
      attributePayload: { attributes: { 'fleetwave:simulated': 'false' } },
    }),
  );
  ep.emulator.registry.things.addThingToThingGroup(thingName, 'fleet');
}

async function admin(
  ep: FleetEndpoint,
  path: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${ep.url}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('external things in the fleet admin views', () => {
  it('lists them with what their device sees pending, paged, and counts them per job', async () => {
    const { ep } = await endpoint();
    for (const name of ['real-a', 'real-b', 'real-c']) await addExternal(ep, name);
    await ep.iot.send(
      new CreateJobCommand({ jobId: 'job', document: '{}', targets: [groupArn(ep, 'fleet')] }),
    );
    await ep.clock.advance(1 * second);
    ep.emulator.deviceJobs.startNext('real-a', {});

    const first = await admin(ep, '/_fleetwave/fleet/external-things?maxResults=2');
    expect(first.body.things).toEqual([
      { thingName: 'real-a', inProgressJobs: ['job'], queuedJobs: [] },
      { thingName: 'real-b', inProgressJobs: [], queuedJobs: ['job'] },
    ]);
    const second2 = await admin(ep, `/_fleetwave/fleet/external-things?nextToken=${first.body.nextToken}`);
    expect(second2.body).toEqual({
      things: [{ thingName: 'real-c', inProgressJobs: [], queuedJobs: ['job'] }],
    });
    expect((await admin(ep, '/_fleetwave/fleet/external-things?maxResults=0')).status).toBe(400);

    await ep.clock.advance(10 * second);
    const job = await admin(ep, '/_fleetwave/fleet/jobs/job');
    expect(job.body.externalExecutions).toEqual({ IN_PROGRESS: 1, QUEUED: 2 });
    expect(job.body.executions).toMatchObject({ SUCCEEDED: 3, IN_PROGRESS: 1, QUEUED: 2 });
  });
});

describe('external things across a restart', () => {
  it('stay external; their device is notified again, and only the timeout ends what it took', async () => {
    const { ep, seeded } = await endpoint();
    await addExternal(ep, 'real-a');
    await addExternal(ep, 'real-b');
    await ep.iot.send(
      new CreateJobCommand({
        jobId: 'job',
        document: '{}',
        targets: [groupArn(ep, 'fleet')],
        timeoutConfig: { inProgressTimeoutInMinutes: 10 },
      }),
    );
    await ep.clock.advance(1 * second);
    ep.emulator.deviceJobs.startNext('real-a', {});
    // A seeded thing made external later: the seeding makes it again, the snapshot keeps the update.
    await ep.iot.send(
      new UpdateThingCommand({
        thingName: 'fleet-0000',
        attributePayload: { attributes: { 'fleetwave:simulated': 'false' }, merge: true },
      }),
    );

    const dir = mkdtempSync(join(tmpdir(), 'fleetwave-external-restart-'));
    dirs.push(dir);
    persistIot(ep.emulator, ep.clock, dir, undefined, seeded, ep.fleet.simulator).close();
    const snapshot = readIotSnapshot(dir);
    if (!snapshot) throw new Error('no snapshot written');
    await ep.close();
    open.splice(open.indexOf(ep), 1);

    const { ep: fresh } = await endpoint();
    await restoreIotSnapshot(fresh.emulator, fresh.clock, snapshot, fresh.fleet.simulator);
    const devices = fresh.emulator.deviceJobs;
    expect(fresh.emulator.registry.things.isExternal('real-b')).toBe(true);
    expect(fresh.emulator.registry.things.isExternal('fleet-0000')).toBe(true);
    expect(fresh.emulator.registry.things.getThing('fleet-0000')?.version).toBe(2);
    await fresh.clock.advance(1 * second);
    expect(devices.pending('real-b').queuedJobs.map((j) => j.jobId)).toEqual(['job']);
    await fresh.clock.advance(5 * minute);
    expect(devices.describe('real-a', 'job', {})?.status).toBe('IN_PROGRESS');
    expect(devices.describe('real-b', 'job', {})?.status).toBe('QUEUED');
    await fresh.clock.advance(5 * minute);
    expect(devices.describe('real-a', 'job', {})?.status).toBe('TIMED_OUT');
  });
});

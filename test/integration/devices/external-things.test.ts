/**
 * External things on the fleet simulator: a thing whose attribute
 * `fleetwave:simulated` is "false" is notified at the rollout rate but
 * never driven; its device moves its executions through the device side
 * (`iot.deviceJobs`, what the HTTPS data plane and the MQTT topics serve),
 * and the job's timeout, retry, abort and completion rules apply to it as
 * to a simulated device. The control plane runs through the real SDK.
 */
import {
  CancelJobCommand,
  CreateJobCommand,
  type CreateJobCommandInput,
  CreateThingCommand,
  DeleteJobCommand,
  UpdateThingCommand,
} from '@aws-sdk/client-iot';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceJobsError } from '../../../local/iot/device-jobs/device-job-errors.js';
import { fixedProfile, minute, second } from '../../support/fleet.js';
import {
  describeExecution,
  describeJob,
  type FleetEndpoint,
  groupArn,
  seedThings,
  startFleetEndpoint,
} from '../fleet/fleet-endpoint.js';

let ep: FleetEndpoint;
afterEach(async () => ep.close());

const external = { attributePayload: { attributes: { 'fleetwave:simulated': 'false' } } };

/** A fleet of `simulated` simulated things and `real` external things, all in group `fleet`. */
async function start(simulated: number, real: number): Promise<string[]> {
  ep = await startFleetEndpoint({ profiles: fixedProfile({ startSeconds: 1, runSeconds: 10 }) });
  seedThings(ep, 'fleet', simulated);
  const names = Array.from({ length: real }, (_, i) => `device-${i}`);
  for (const thingName of names) {
    await ep.iot.send(new CreateThingCommand({ thingName, ...external }));
    ep.emulator.registry.things.addThingToThingGroup(thingName, 'fleet');
  }
  return names;
}

async function createJob(input: Partial<CreateJobCommandInput> = {}): Promise<void> {
  await ep.iot.send(
    new CreateJobCommand({ jobId: 'job', document: '{"v":1}', targets: [groupArn(ep, 'fleet')], ...input }),
  );
}

const devices = () => ep.emulator.deviceJobs;

function refusal(run: () => unknown): DeviceJobsError {
  try {
    run();
  } catch (error) {
    return error as DeviceJobsError;
  }
  throw new Error('expected a refusal');
}

describe('external things', () => {
  it('are notified at the rollout rate, never driven, and seen by their device only once notified', async () => {
    const [device] = await start(0, 3);
    await createJob({ jobExecutionsRolloutConfig: { maximumPerMinute: 1 } });
    // Nothing notified before the first rollout tick.
    expect(devices().pending(device!).queuedJobs).toEqual([]);
    await ep.clock.advance(1 * second);
    expect(
      devices()
        .pending(device!)
        .queuedJobs.map((j) => j.jobId),
    ).toEqual(['job']);
    expect(devices().pending('device-2').queuedJobs).toEqual([]);
    // Hours later the simulator has moved nothing.
    await ep.clock.advance(60 * minute);
    expect((await describeJob(ep, 'job')).details.numberOfQueuedThings).toBe(3);
    expect(ep.events.filter((e) => e.type === 'notified').every((e) => e.outcome === 'external')).toBe(true);
  });

  it('move through their device, and the job completes with the simulated ones', async () => {
    const names = await start(20, 2);
    await createJob();
    await ep.clock.advance(1 * second);
    for (const thingName of names) {
      const started = devices().startNext(thingName, { statusDetails: { step: 'download' } });
      expect(started).toMatchObject({ jobId: 'job', status: 'IN_PROGRESS', jobDocument: '{"v":1}' });
      devices().update(thingName, 'job', { status: 'SUCCEEDED', statusDetails: { step: 'done' } });
    }
    await ep.clock.advance(30 * second);
    const job = await describeJob(ep, 'job');
    expect(job.status).toBe('COMPLETED');
    expect(job.details.numberOfSucceededThings).toBe(22);
    expect((await describeExecution(ep, 'job', 'device-0')).statusDetails?.detailsMap).toEqual({
      step: 'done',
    });
  });

  it('are timed out by the job in-progress timeout, then retried and notified again', async () => {
    const [device] = await start(0, 1);
    await createJob({
      timeoutConfig: { inProgressTimeoutInMinutes: 5 },
      jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'TIMED_OUT', numberOfRetries: 1 }] },
    });
    await ep.clock.advance(1 * second);
    devices().startNext(device!, {});
    expect(devices().describe(device!, 'job', {})?.approximateSecondsBeforeTimedOut).toBe(300);
    await ep.clock.advance(5 * minute + 2 * second);
    const retried = devices().describe(device!, '$next', {});
    expect(retried).toMatchObject({ status: 'QUEUED', executionNumber: 2 });
  });

  it('give a retried attempt its own timeout, not the step timer of the attempt before', async () => {
    const [device] = await start(0, 1);
    await createJob({
      timeoutConfig: { inProgressTimeoutInMinutes: 10 },
      jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'TIMED_OUT', numberOfRetries: 1 }] },
    });
    await ep.clock.advance(1 * second);
    devices().startNext(device!, { stepTimeoutInMinutes: 15 });
    await ep.clock.advance(10 * minute + 2 * second);
    expect(devices().startNext(device!, {})).toMatchObject({
      executionNumber: 2,
      approximateSecondsBeforeTimedOut: 600,
    });
  });

  it('are timed out by their step timer', async () => {
    const [device] = await start(0, 1);
    await createJob();
    await ep.clock.advance(1 * second);
    devices().startNext(device!, { stepTimeoutInMinutes: 2 });
    await ep.clock.advance(1 * minute);
    devices().update(device!, 'job', { status: 'IN_PROGRESS', stepTimeoutInMinutes: 3 });
    await ep.clock.advance(2 * minute + 30 * second);
    expect(devices().describe(device!, 'job', {})?.status).toBe('IN_PROGRESS');
    await ep.clock.advance(1 * minute);
    expect(devices().describe(device!, 'job', {})?.status).toBe('TIMED_OUT');
    expect((await describeJob(ep, 'job')).status).toBe('COMPLETED');
  });

  it('trip the job abort rule with what their devices report', async () => {
    const names = await start(0, 4);
    await createJob({
      abortConfig: {
        criteriaList: [
          { failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 50, minNumberOfExecutedThings: 2 },
        ],
      },
    });
    await ep.clock.advance(1 * second);
    for (const thingName of names.slice(0, 2)) devices().update(thingName, 'job', { status: 'FAILED' });
    const job = await describeJob(ep, 'job');
    expect(job.status).toBe('CANCELED');
    expect(job.reasonCode).toBe('ABORT_CRITERIA_MET');
    expect(devices().pending(names[3]!).queuedJobs).toEqual([]);
  });

  it('refuse what AWS refuses, changing nothing', async () => {
    const [device] = await start(0, 1);
    await createJob();
    await ep.clock.advance(1 * second);
    expect(refusal(() => devices().pending('nobody')).name).toBe('ResourceNotFoundException');
    expect(refusal(() => devices().describe(device!, 'other', {})).name).toBe('ResourceNotFoundException');
    expect(refusal(() => devices().describe(device!, 'job', { executionNumber: 2 })).status).toBe(404);
    devices().startNext(device!, {});
    const conflict = refusal(() =>
      devices().update(device!, 'job', { status: 'SUCCEEDED', expectedVersion: 1 }),
    );
    expect(conflict).toMatchObject({ name: 'VersionConflictException', status: 409 });
    expect(conflict.executionState).toMatchObject({ status: 'IN_PROGRESS', versionNumber: 2 });
    devices().update(device!, 'job', { status: 'SUCCEEDED', expectedVersion: 2 });
    const late = refusal(() => devices().update(device!, 'job', { status: 'IN_PROGRESS' }));
    expect(late).toMatchObject({ name: 'InvalidStateTransitionException', status: 409 });
    expect(devices().describe(device!, 'job', {})).toMatchObject({ status: 'SUCCEEDED', versionNumber: 3 });
  });

  it('made external after the rollout notified them are left to their device', async () => {
    ep = await startFleetEndpoint({ profiles: fixedProfile({ startSeconds: 30, runSeconds: 10 }) });
    seedThings(ep, 'fleet', 1);
    await createJob();
    await ep.clock.advance(1 * second);
    await ep.iot.send(new UpdateThingCommand({ thingName: 'fleet-0000', ...external }));
    await ep.clock.advance(5 * minute);
    expect((await describeExecution(ep, 'job', 'fleet-0000')).status).toBe('QUEUED');
    expect(devices().startNext('fleet-0000', {})?.status).toBe('IN_PROGRESS');
  });

  it('that stop being external while their device was told of a job are played by the simulator', async () => {
    const [device] = await start(0, 1);
    await createJob();
    await ep.clock.advance(1 * second);
    expect(devices().pending(device!).queuedJobs).toHaveLength(1);
    await ep.iot.send(new UpdateThingCommand({ thingName: device!, attributePayload: { attributes: {} } }));
    await ep.clock.advance(1 * minute);
    expect((await describeJob(ep, 'job')).status).toBe('COMPLETED');
  });

  it('see their IN_PROGRESS executions first, then the QUEUED ones oldest first, ended jobs left out', async () => {
    const [device] = await start(0, 1);
    for (const jobId of ['a', 'b', 'c', 'd']) {
      await createJob({ jobId });
      await ep.clock.advance(1 * second);
    }
    devices().startNext(device!, {});
    devices().update(device!, 'd', { status: 'SUCCEEDED' });
    // A canceled job keeps the execution its device took (no force): still the device's to end.
    await ep.iot.send(new CancelJobCommand({ jobId: 'a' }));
    await ep.clock.advance(1 * second);
    expect((await describeJob(ep, 'd')).status).toBe('COMPLETED');
    const { inProgressJobs, queuedJobs } = devices().pending(device!);
    expect(inProgressJobs.map((j) => j.jobId)).toEqual(['a']);
    expect(queuedJobs.map((j) => j.jobId)).toEqual(['b', 'c']);
    expect(devices().describe(device!, '$next', {})?.jobId).toBe('a');
  });

  it('offer their device nothing of a job being deleted, and a job made again under its id from scratch', async () => {
    const [device] = await start(0, 1);
    await createJob();
    await ep.clock.advance(1 * second);
    devices().startNext(device!, {});
    await ep.iot.send(new DeleteJobCommand({ jobId: 'job', force: true }));
    expect(devices().pending(device!)).toEqual({ inProgressJobs: [], queuedJobs: [] });
    expect(devices().startNext(device!, {})).toBeUndefined();
    expect(refusal(() => devices().update(device!, 'job', { status: 'SUCCEEDED' })).name).toBe(
      'TerminalStateException',
    );
    await ep.clock.advance(2 * second);
    await createJob();
    await ep.clock.advance(1 * second);
    expect(devices().startNext(device!, {})).toMatchObject({ status: 'IN_PROGRESS', executionNumber: 1 });
  });

  it('may be made external with UpdateThing, and back', async () => {
    await start(1, 0);
    const thingName = 'fleet-0000';
    await ep.iot.send(
      new UpdateThingCommand({ thingName, attributePayload: { ...external.attributePayload, merge: true } }),
    );
    expect(ep.emulator.registry.things.isExternal(thingName)).toBe(true);
    expect(ep.emulator.registry.things.getThing(thingName)?.version).toBe(2);
    await createJob();
    await ep.clock.advance(1 * minute);
    expect((await describeExecution(ep, 'job', thingName)).status).toBe('QUEUED');
    await ep.iot.send(
      new UpdateThingCommand({
        thingName,
        attributePayload: { attributes: { 'fleetwave:simulated': '' }, merge: true },
      }),
    );
    expect(ep.emulator.registry.things.isExternal(thingName)).toBe(false);
  });
});

/**
 * What the broker publishes on its own, with mqtt.js as the subscriber:
 * `notify` and `notify-next` as a rollout reaches an external thing and its
 * device works through its queue, and the job events for whoever
 * subscribed to them (payloads built only then).
 */
import { CreateJobCommand } from '@aws-sdk/client-iot';
import { beforeEach, describe, expect, it } from 'vitest';
import type { InMemoryJobEventBus } from '../../../local/iot/events/job-event-bus.js';
import { listNotificationLimit } from '../../../local/mqtt/jobs-notifications.js';
import { second } from '../../support/fleet.js';
import { groupArn, thingArn } from '../fleet/fleet-endpoint.js';
import { Device, type MqttStack, t0, useDeviceFixture } from './mqtt-stack.js';

const thing = 'device-0';
const jobs = `$aws/things/${thing}/jobs`;
const fixture = useDeviceFixture([thing]);
let stack: MqttStack;
let device: Device;
beforeEach(() => {
  ({ stack, device } = fixture());
});

async function createJob(jobId: string): Promise<void> {
  await stack.iot.send(
    new CreateJobCommand({ jobId, document: `{"job":"${jobId}"}`, targets: [groupArn(stack, 'fleet')] }),
  );
}

describe('notify and notify-next', () => {
  it('follow the rollout and the device: the list on every change, the next only when it changes', async () => {
    await device.client.subscribeAsync([`${jobs}/notify`, `${jobs}/notify-next`], { qos: 1 });
    await createJob('job-a');
    await stack.clock.advance(1 * second);
    expect((await device.next(`${jobs}/notify`)).json).toEqual({
      timestamp: t0,
      jobs: {
        QUEUED: [{ jobId: 'job-a', queuedAt: t0, lastUpdatedAt: t0, versionNumber: 1, executionNumber: 1 }],
      },
    });
    const first = await device.next(`${jobs}/notify-next`);
    expect(first.qos).toBe(1);
    expect(first.json).toMatchObject({
      timestamp: t0,
      execution: { jobId: 'job-a', status: 'QUEUED', jobDocument: { job: 'job-a' } },
    });

    await createJob('job-b');
    await stack.clock.advance(1 * second);
    const both = (await device.next(`${jobs}/notify`)).json;
    expect(both.jobs.QUEUED.map((j: { jobId: string }) => j.jobId)).toEqual(['job-a', 'job-b']);

    await device.request(`${jobs}/start-next`, {});
    expect((await device.next(`${jobs}/notify`)).json.jobs).toMatchObject({
      IN_PROGRESS: [{ jobId: 'job-a', startedAt: t0 + 2 }],
      QUEUED: [{ jobId: 'job-b' }],
    });
    await device.request(`${jobs}/job-a/update`, { status: 'SUCCEEDED' });
    expect((await device.next(`${jobs}/notify`)).json.jobs).toEqual({
      QUEUED: [expect.objectContaining({ jobId: 'job-b' })],
    });
    // job-b queued behind job-a, and job-a started: no notify-next until job-a left the head.
    expect((await device.next(`${jobs}/notify-next`)).json.execution).toMatchObject({ jobId: 'job-b' });

    await device.request(`${jobs}/job-b/update`, { status: 'FAILED' });
    expect((await device.next(`${jobs}/notify`)).json).toEqual({ timestamp: t0 + 2, jobs: {} });
    expect((await device.next(`${jobs}/notify-next`)).json).toEqual({ timestamp: t0 + 2 });
  });

  it('reach a device whose persistent session was restored (clean session 0, no new SUBSCRIBE)', async () => {
    await device.close();
    const persistent = { clientId: thing, clean: false };
    const first = await Device.connect(stack.mqttUrl, persistent);
    await first.client.subscribeAsync(`${jobs}/notify-next`, { qos: 1 });
    await first.close();
    const again = await Device.connect(stack.mqttUrl, { ...persistent, resubscribe: false });
    try {
      expect(again.sessionPresent).toBe(true);
      await createJob('job-a');
      await stack.clock.advance(1 * second);
      expect((await again.next(`${jobs}/notify-next`)).json.execution).toMatchObject({ jobId: 'job-a' });
    } finally {
      await again.close();
    }
  });

  it('list at most 15 pending executions, IN_PROGRESS first', async () => {
    for (let i = 0; i < 17; i++) await createJob(`job-${String(i).padStart(2, '0')}`);
    await stack.clock.advance(1 * second);
    await device.request(`${jobs}/job-16/update`, { status: 'IN_PROGRESS' });
    await device.client.subscribeAsync(`${jobs}/notify`, { qos: 1 });
    await device.request(`${jobs}/job-15/update`, { status: 'IN_PROGRESS' });
    const { jobs: listed } = (await device.next(`${jobs}/notify`)).json;
    expect(listed.IN_PROGRESS.map((j: { jobId: string }) => j.jobId)).toEqual(['job-15', 'job-16']);
    expect(listed.QUEUED).toHaveLength(listNotificationLimit - 2);
    expect(listed.QUEUED[0].jobId).toBe('job-00');
  });
});

describe('job events', () => {
  it('reach MQTT subscribers, and are built only while someone subscribed', async () => {
    const bus = stack.emulator.events as InMemoryJobEventBus;
    expect(bus.hasPayloadListeners).toBe(false);
    const watcher = await Device.connect(stack.mqttUrl, { clientId: 'watcher' });
    try {
      await watcher.client.subscribeAsync(['$aws/events/jobExecution/+/+', '$aws/events/job/job/completed'], {
        qos: 1,
      });
      expect(bus.hasPayloadListeners).toBe(true);
      await createJob('job');
      await stack.clock.advance(1 * second);
      await device.request(`${jobs}/job/update`, { status: 'SUCCEEDED', statusDetails: { v: '2.4.0' } });
      expect((await watcher.next('$aws/events/jobExecution/job/succeeded')).json).toMatchObject({
        eventType: 'JOB_EXECUTION',
        operation: 'succeeded',
        jobId: 'job',
        thingArn: thingArn(stack, thing),
        status: 'SUCCEEDED',
        statusDetails: { v: '2.4.0' },
      });
      await stack.clock.advance(10 * second);
      expect((await watcher.next('$aws/events/job/job/completed')).json).toMatchObject({
        eventType: 'JOB',
        operation: 'completed',
        jobId: 'job',
        jobProcessDetails: { numberOfSucceededThings: 1 },
      });
      await watcher.client.unsubscribeAsync([
        '$aws/events/jobExecution/+/+',
        '$aws/events/job/job/completed',
      ]);
      expect(bus.hasPayloadListeners).toBe(false);
    } finally {
      await watcher.close();
    }
  });
});

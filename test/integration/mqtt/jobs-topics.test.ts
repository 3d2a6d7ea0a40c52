/**
 * AWS's jobs topics on the local broker, with mqtt.js (a client nobody here
 * wrote) over plain MQTT 3.1.1: every request topic, each `/rejected` code,
 * `clientToken` echoed, times in epoch seconds, the job document as JSON,
 * and QoS 0 and 1. External things on a manual virtual clock; the control
 * plane through the real SDK.
 */
import { CreateJobCommand, type CreateJobCommandInput, DeleteJobCommand } from '@aws-sdk/client-iot';
import { beforeEach, describe, expect, it } from 'vitest';
import { second } from '../../support/fleet.js';
import { groupArn } from '../fleet/fleet-endpoint.js';
import { Device, type MqttStack, t0, useDeviceFixture } from './mqtt-stack.js';

const thing = 'device-0';
const jobs = `$aws/things/${thing}/jobs`;
const fixture = useDeviceFixture([thing, 'device-1']);
let stack: MqttStack;
let device: Device;
beforeEach(() => {
  ({ stack, device } = fixture());
});

async function createJob(jobId = 'job', input: Partial<CreateJobCommandInput> = {}): Promise<void> {
  await stack.iot.send(
    new CreateJobCommand({
      jobId,
      document: '{"firmware":"2.4.0"}',
      targets: [groupArn(stack, 'fleet')],
      ...input,
    }),
  );
  await stack.clock.advance(1 * second);
}

describe('the jobs topics', () => {
  it('get: the pending executions, clientToken echoed, times in epoch seconds', async () => {
    await createJob('job-a');
    await createJob('job-b');
    const answer = await device.request(`${jobs}/get`, { clientToken: 'tok-1' });
    expect(answer.topic).toBe(`${jobs}/get/accepted`);
    expect(answer.json).toEqual({
      inProgressJobs: [],
      queuedJobs: [
        { jobId: 'job-a', queuedAt: t0, lastUpdatedAt: t0, versionNumber: 1, executionNumber: 1 },
        { jobId: 'job-b', queuedAt: t0 + 1, lastUpdatedAt: t0 + 1, versionNumber: 1, executionNumber: 1 },
      ],
      timestamp: t0 + 2,
      clientToken: 'tok-1',
    });
  });

  it('start-next: the next execution moves to IN_PROGRESS, its document a JSON object; then nothing', async () => {
    await createJob();
    const started = await device.request(`${jobs}/start-next`, {
      clientToken: 'c',
      statusDetails: { step: 'download' },
      stepTimeoutInMinutes: 5,
    });
    expect(started.topic).toBe(`${jobs}/start-next/accepted`);
    expect(started.json).toMatchObject({
      clientToken: 'c',
      timestamp: t0 + 1,
      execution: {
        jobId: 'job',
        thingName: thing,
        jobDocument: { firmware: '2.4.0' },
        status: 'IN_PROGRESS',
        statusDetails: { step: 'download' },
        startedAt: t0 + 1,
        versionNumber: 2,
        executionNumber: 1,
      },
    });
    await device.request(`${jobs}/job/update`, { status: 'SUCCEEDED' });
    const none = await device.request(`${jobs}/start-next`, {});
    expect(none.topic).toBe(`${jobs}/start-next/accepted`);
    expect(none.json).toEqual({ timestamp: t0 + 1 });
  });

  it('{jobId}/get: by job id, $next, without the document, by execution number', async () => {
    await createJob();
    const byId = await device.request(`${jobs}/job/get`, { clientToken: 'x' });
    expect(byId.json.execution).toMatchObject({
      jobId: 'job',
      status: 'QUEUED',
      jobDocument: { firmware: '2.4.0' },
    });
    const next = await device.request(`${jobs}/$next/get`, { includeJobDocument: false });
    expect(next.json.execution.jobId).toBe('job');
    expect(next.json.execution).not.toHaveProperty('jobDocument');
    const attempt = await device.request(`${jobs}/job/get`, { executionNumber: 1 });
    expect(attempt.json.execution.executionNumber).toBe(1);
    await device.request(`${jobs}/job/update`, { status: 'REJECTED' });
    const nothing = await device.request(`${jobs}/$next/get`, {});
    expect(nothing.json).toEqual({ timestamp: t0 + 1 });
  });

  it('{jobId}/update: the new state and the document when asked; a document that is not JSON is a string', async () => {
    await createJob('job', { document: 'plain text, not JSON' });
    const answer = await device.request(`${jobs}/job/update`, {
      status: 'IN_PROGRESS',
      statusDetails: { progress: '40' },
      expectedVersion: 1,
      includeJobExecutionState: true,
      includeJobDocument: true,
      clientToken: 'u',
    });
    expect(answer.json).toEqual({
      executionState: { status: 'IN_PROGRESS', statusDetails: { progress: '40' }, versionNumber: 2 },
      jobDocument: 'plain text, not JSON',
      timestamp: t0 + 1,
      clientToken: 'u',
    });
    const bare = await device.request(`${jobs}/job/update`, { status: 'SUCCEEDED' });
    expect(bare.json).toEqual({ timestamp: t0 + 1 });
    expect(stack.emulator.deviceJobs.describe(thing, 'job', {})?.status).toBe('SUCCEEDED');
  });

  it('answers at the QoS of the subscription: 1, or 0', async () => {
    await createJob();
    expect((await device.request(`${jobs}/get`, {}, 1)).qos).toBe(1);
    const other = await Device.connect(stack.mqttUrl, { clientId: 'device-1' });
    try {
      expect((await other.request('$aws/things/device-1/jobs/get', {}, 0)).qos).toBe(0);
    } finally {
      await other.close();
    }
  });
});

describe('the jobs answers', () => {
  it('go to the client that asked, subscribed or not, and to no one else', async () => {
    const watcher = await Device.connect(stack.mqttUrl, { clientId: 'watcher' });
    try {
      await watcher.client.subscribeAsync(`${jobs}/#`, { qos: 1 });
      await device.client.publishAsync(`${jobs}/get`, JSON.stringify({ clientToken: 'unsubscribed' }), {
        qos: 1,
      });
      expect((await device.next(`${jobs}/get/accepted`)).json.clientToken).toBe('unsubscribed');
      // The watcher sees the request itself, then its own answer only.
      expect((await watcher.next(`${jobs}/get`)).json.clientToken).toBe('unsubscribed');
      expect((await watcher.request(`${jobs}/$next/get`)).topic).toBe(`${jobs}/$next/get/accepted`);
      expect(watcher.pending(`${jobs}/get/accepted`)).toEqual([]);
    } finally {
      await watcher.close();
    }
  });
});

describe('the jobs topics refuse', () => {
  const rejected = async (topic: string, payload: object | string, code: string) => {
    const answer = await device.request(topic, payload);
    expect(answer.topic).toBe(`${topic}/rejected`);
    expect(answer.json).toMatchObject({ code, timestamp: t0 + 1 });
    expect(typeof answer.json.message).toBe('string');
    return answer.json;
  };

  it('a payload that is not JSON (InvalidJson) or not a JSON object (InvalidRequest)', async () => {
    await createJob();
    await rejected(`${jobs}/get`, '{"clientToken":', 'InvalidJson');
    await rejected(`${jobs}/get`, '[1,2]', 'InvalidRequest');
  });

  it('what the data plane refuses (InvalidRequest), echoing the clientToken', async () => {
    await createJob();
    const tooMany = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v']));
    const json = await rejected(
      `${jobs}/job/update`,
      { status: 'IN_PROGRESS', statusDetails: tooMany, clientToken: 't' },
      'InvalidRequest',
    );
    expect(json.clientToken).toBe('t');
    expect(json.message).toMatch(/statusDetails/);
    await rejected(`${jobs}/job/update`, { status: 'QUEUED' }, 'InvalidRequest');
    await rejected(`${jobs}/start-next`, { stepTimeoutInMinutes: 0 }, 'InvalidRequest');
    await rejected(`${jobs}/get`, { clientToken: 'x'.repeat(65) }, 'InvalidRequest');
    await rejected(`${jobs}/$next/update`, { status: 'SUCCEEDED' }, 'InvalidRequest');
    expect(stack.emulator.deviceJobs.describe(thing, 'job', {})?.status).toBe('QUEUED');
  });

  it('a topic that names no operation (InvalidTopic)', async () => {
    await createJob();
    await rejected(`${jobs}/job/cancel`, {}, 'InvalidTopic');
    await rejected(`${jobs}/start-next/now`, {}, 'InvalidTopic');
  });

  it('a thing or an execution that does not exist (ResourceNotFound)', async () => {
    await createJob();
    await rejected('$aws/things/nobody/jobs/get', {}, 'ResourceNotFound');
    await rejected(`${jobs}/other/get`, {}, 'ResourceNotFound');
    await rejected(`${jobs}/job/get`, { executionNumber: 2 }, 'ResourceNotFound');
  });

  it('a stale version (VersionMismatch) and a move the execution cannot make (InvalidStateTransition), with its state', async () => {
    await createJob();
    await device.request(`${jobs}/start-next`, {});
    const stale = await rejected(
      `${jobs}/job/update`,
      { status: 'SUCCEEDED', expectedVersion: 1 },
      'VersionMismatch',
    );
    expect(stale.executionState).toEqual({ status: 'IN_PROGRESS', versionNumber: 2 });
    await device.request(`${jobs}/job/update`, { status: 'SUCCEEDED' });
    const late = await rejected(`${jobs}/job/update`, { status: 'IN_PROGRESS' }, 'InvalidStateTransition');
    expect(late.executionState).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('a job being deleted (TerminalStateReached)', async () => {
    await createJob();
    await stack.iot.send(new DeleteJobCommand({ jobId: 'job', force: true }));
    await rejected(`${jobs}/job/get`, {}, 'TerminalStateReached');
  });
});

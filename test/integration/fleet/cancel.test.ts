import {
  CancelJobCommand,
  CancelJobExecutionCommand,
  CreateJobCommand,
  DescribeJobCommand,
} from '@aws-sdk/client-iot';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedProfile, minute, second } from '../../support/fleet.js';
import {
  describeExecution,
  describeJob,
  type FleetEndpoint,
  groupArn,
  seedThings,
  startFleetEndpoint,
} from './fleet-endpoint.js';

let ep: FleetEndpoint;
afterEach(async () => ep.close());

/** 20 things, 10 notified per minute, each running 5 minutes: after 90 s, 15 run and 5 wait. */
async function startLongJob(jobId: string): Promise<void> {
  ep = await startFleetEndpoint({ profiles: fixedProfile({ startSeconds: 1, runSeconds: 5 * 60 }) });
  seedThings(ep, 'line', 20, 'dev');
  await ep.iot.send(
    new CreateJobCommand({
      jobId,
      targets: [groupArn(ep, 'line')],
      document: '{}',
      jobExecutionsRolloutConfig: { maximumPerMinute: 10 },
    }),
  );
  await ep.clock.advance(90 * second);
}

const notifiedSince = (since: number) =>
  ep.events.filter((e) => e.type === 'notified' && e.at > since).length;

describe('CancelJob and CancelJobExecution through the IoT endpoint', () => {
  it('CancelJob without force: QUEUED executions are CANCELED, IN_PROGRESS ones run on to their end', async () => {
    await startLongJob('soft');
    const before = await describeJob(ep, 'soft');
    const running = before.details.numberOfInProgressThings;
    expect(running).toBeGreaterThan(0);
    expect(before.details.numberOfQueuedThings).toBeGreaterThan(0);
    const canceledAt = ep.clock.now();
    await ep.iot.send(
      new CancelJobCommand({ jobId: 'soft', reasonCode: 'OPERATOR', comment: 'stop the wave' }),
    );
    const canceled = await describeJob(ep, 'soft');
    expect(canceled.status).toBe('CANCELED');
    expect(canceled.details).toMatchObject({
      numberOfQueuedThings: 0,
      numberOfCanceledThings: 20 - running,
      numberOfInProgressThings: running,
    });
    await ep.clock.advance(10 * minute);
    const after = await describeJob(ep, 'soft');
    expect(after.status).toBe('CANCELED');
    expect(after.details).toMatchObject({ numberOfInProgressThings: 0, numberOfSucceededThings: running });
    expect(notifiedSince(canceledAt)).toBe(0);
    expect(await describeExecution(ep, 'soft', 'dev-0000')).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('CancelJob with force: IN_PROGRESS executions are CANCELED too, and their devices never move them again', async () => {
    await startLongJob('forced');
    await ep.iot.send(new CancelJobCommand({ jobId: 'forced', force: true }));
    const { job } = await ep.iot.send(new DescribeJobCommand({ jobId: 'forced' }));
    expect(job).toMatchObject({ status: 'CANCELED', forceCanceled: true });
    expect(job?.jobProcessDetails).toMatchObject({
      numberOfCanceledThings: 20,
      numberOfInProgressThings: 0,
      numberOfQueuedThings: 0,
    });
    await ep.clock.advance(10 * minute);
    const after = await describeJob(ep, 'forced');
    expect(after.details).toMatchObject({ numberOfCanceledThings: 20, numberOfSucceededThings: 0 });
    expect(await describeExecution(ep, 'forced', 'dev-0000')).toMatchObject({
      status: 'CANCELED',
      forceCanceled: true,
    });
  });

  it('CancelJobExecution of the last open executions lets a SNAPSHOT job complete', async () => {
    // One device stays offline (QUEUED for good), one hangs (IN_PROGRESS for good, no timeout).
    ep = await startFleetEndpoint({
      profiles: fixedProfile({}, [
        { match: { thingName: 'dev-0001' }, outcomes: { offline: 1 } },
        { match: { thingName: 'dev-0002' }, outcomes: { hang: 1 } },
      ]),
    });
    seedThings(ep, 'line', 5, 'dev');
    await ep.iot.send(
      new CreateJobCommand({ jobId: 'stuck', targets: [groupArn(ep, 'line')], document: '{}' }),
    );
    await ep.clock.advance(30 * minute);
    expect(await describeJob(ep, 'stuck')).toMatchObject({
      status: 'IN_PROGRESS',
      details: { numberOfSucceededThings: 3, numberOfQueuedThings: 1, numberOfInProgressThings: 1 },
    });
    await ep.iot.send(new CancelJobExecutionCommand({ jobId: 'stuck', thingName: 'dev-0001' }));
    await ep.clock.advance(second);
    expect((await describeJob(ep, 'stuck')).status).toBe('IN_PROGRESS');
    await ep.iot.send(new CancelJobExecutionCommand({ jobId: 'stuck', thingName: 'dev-0002', force: true }));
    await ep.clock.advance(second);
    expect(await describeJob(ep, 'stuck')).toMatchObject({
      status: 'COMPLETED',
      details: { numberOfSucceededThings: 3, numberOfCanceledThings: 2 },
    });
  });
});

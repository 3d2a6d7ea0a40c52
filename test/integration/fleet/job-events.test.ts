import { CreateJobCommand } from '@aws-sdk/client-iot';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedProfile, minute } from '../../support/fleet.js';
import { type FleetEndpoint, groupArn, seedThings, startFleetEndpoint, thingArn } from './fleet-endpoint.js';

let ep: FleetEndpoint;
afterEach(async () => ep.close());

interface Published {
  topic: string;
  payload: Record<string, unknown>;
}

function record(endpoint: FleetEndpoint): Published[] {
  const published: Published[] = [];
  endpoint.emulator.events.subscribe((topic, payload) =>
    published.push({ topic, payload: payload as Record<string, unknown> }),
  );
  return published;
}

describe('Jobs events during a simulated run', () => {
  it('publishes $aws/events/jobExecution/{jobId}/{succeeded|failed|rejected|timed_out} and $aws/events/job/{jobId}/completed with AWS’s fields', async () => {
    ep = await startFleetEndpoint({
      profiles: fixedProfile({ startSeconds: 1, runSeconds: 30 }, [
        { match: { thingName: 'bad' }, outcomes: { fail: 1 } },
        { match: { thingName: 'nope' }, outcomes: { reject: 1 } },
        { match: { thingName: 'hung' }, outcomes: { hang: 1 } },
      ]),
    });
    const published = record(ep);
    for (const name of ['ok', 'bad', 'nope', 'hung'])
      ep.emulator.registry.things.createThing({ thingName: name });
    await ep.iot.send(
      new CreateJobCommand({
        jobId: 'ev',
        targets: ['ok', 'bad', 'nope', 'hung'].map((name) => thingArn(ep, name)),
        document: '{}',
        timeoutConfig: { inProgressTimeoutInMinutes: 1 },
      }),
    );
    const createdAt = ep.clock.now();
    await ep.clock.advance(5 * minute);

    expect(published.map((p) => p.topic).sort()).toEqual(
      [
        '$aws/events/job/ev/completed',
        '$aws/events/jobExecution/ev/failed',
        '$aws/events/jobExecution/ev/rejected',
        '$aws/events/jobExecution/ev/succeeded',
        '$aws/events/jobExecution/ev/timed_out',
      ].sort(),
    );
    const succeeded = published.find((p) => p.topic.endsWith('/succeeded'))!.payload;
    expect(succeeded).toMatchObject({
      eventType: 'JOB_EXECUTION',
      operation: 'succeeded',
      jobId: 'ev',
      thingArn: thingArn(ep, 'ok'),
      status: 'SUCCEEDED',
    });
    expect(typeof succeeded.eventId).toBe('string');
    // `timestamp` is in epoch seconds: the device ended 1 s + 30 s after the job was created.
    expect(succeeded.timestamp).toBe(Math.floor(createdAt / 1000) + 31);
    expect(published.find((p) => p.topic.endsWith('/timed_out'))!.payload).toMatchObject({
      thingArn: thingArn(ep, 'hung'),
      status: 'TIMED_OUT',
    });
    const completed = published.find((p) => p.topic === '$aws/events/job/ev/completed')!;
    expect(completed.payload).toMatchObject({
      eventType: 'JOB',
      operation: 'completed',
      jobId: 'ev',
      status: 'COMPLETED',
      targetSelection: 'SNAPSHOT',
      createdAt,
      jobProcessDetails: {
        numberOfSucceededThings: 1,
        numberOfFailedThings: 1,
        numberOfRejectedThings: 1,
        numberOfTimedOutThings: 1,
        numberOfCanceledThings: 0,
        numberOfRemovedThings: 0,
      },
    });
    // The hung device started 1 s in and timed out one minute later: the last execution to end.
    expect(completed.payload.completedAt).toBe(createdAt + 61_000);
    // The job event comes after the last execution event.
    expect(published[published.length - 1]).toBe(completed);
  });

  it('publishes $aws/events/job/{jobId}/canceled with the abort’s reasonCode and comment, after canceling the QUEUED executions', async () => {
    ep = await startFleetEndpoint({ profiles: fixedProfile({ outcomes: { fail: 1 }, runSeconds: 60 }) });
    const published = record(ep);
    seedThings(ep, 'line', 30, 'dev');
    await ep.iot.send(
      new CreateJobCommand({
        jobId: 'abort-ev',
        targets: [groupArn(ep, 'line')],
        document: '{}',
        jobExecutionsRolloutConfig: { maximumPerMinute: 10 },
        abortConfig: {
          criteriaList: [
            {
              failureType: 'FAILED',
              action: 'CANCEL',
              thresholdPercentage: 50,
              minNumberOfExecutedThings: 2,
            },
          ],
        },
      }),
    );
    await ep.clock.advance(10 * minute);
    const canceled = published.find((p) => p.topic === '$aws/events/job/abort-ev/canceled')!;
    expect(canceled.payload).toMatchObject({
      eventType: 'JOB',
      operation: 'canceled',
      status: 'CANCELED',
      reasonCode: expect.any(String),
      comment: expect.stringContaining('FAILED'),
      jobProcessDetails: { numberOfFailedThings: 2 },
    });
    const canceledExecutions = published.filter(
      (p) => p.topic === '$aws/events/jobExecution/abort-ev/canceled',
    );
    expect(canceledExecutions.length).toBeGreaterThan(10);
    expect(canceledExecutions.every((p) => p.payload.status === 'CANCELED')).toBe(true);
    expect(published.indexOf(canceled)).toBeGreaterThan(published.indexOf(canceledExecutions.at(-1)!));
  });
});

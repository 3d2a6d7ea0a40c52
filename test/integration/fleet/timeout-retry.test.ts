import { CreateJobCommand, ListJobExecutionsForThingCommand } from '@aws-sdk/client-iot';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedProfile, minute, second } from '../../support/fleet.js';
import {
  describeExecution,
  describeJob,
  type FleetEndpoint,
  startFleetEndpoint,
  thingArn,
} from './fleet-endpoint.js';

let ep: FleetEndpoint;
afterEach(async () => ep.close());

const executionOf = (jobId: string, thingName: string) => describeExecution(ep, jobId, thingName);

describe('TimeoutConfig and JobExecutionsRetryConfig through the IoT endpoint', () => {
  it('inProgressTimeoutInMinutes: a device that hangs is TIMED_OUT exactly that long after it started', async () => {
    ep = await startFleetEndpoint({
      profiles: fixedProfile({ startSeconds: 5, runSeconds: 60 }, [
        { match: { thingName: 'hung' }, outcomes: { hang: 1 } },
      ]),
    });
    for (const name of ['hung', 'quick']) ep.emulator.registry.things.createThing({ thingName: name });
    await ep.iot.send(
      new CreateJobCommand({
        jobId: 'timeout',
        targets: [thingArn(ep, 'hung'), thingArn(ep, 'quick')],
        document: '{}',
        timeoutConfig: { inProgressTimeoutInMinutes: 3 },
      }),
    );
    await ep.clock.advance(5 * second);
    const started = await executionOf('timeout', 'hung');
    expect(started.status).toBe('IN_PROGRESS');
    expect(started.approximateSecondsBeforeTimedOut).toBe(180);
    await ep.clock.advance(3 * minute - second);
    const justBefore = await executionOf('timeout', 'hung');
    expect(justBefore.status).toBe('IN_PROGRESS');
    expect(justBefore.approximateSecondsBeforeTimedOut).toBe(1);
    await ep.clock.advance(second);
    const timedOut = await executionOf('timeout', 'hung');
    expect(timedOut.status).toBe('TIMED_OUT');
    expect(timedOut.lastUpdatedAt!.getTime() - timedOut.startedAt!.getTime()).toBe(3 * minute);
    // The device that ended within the timeout keeps its own status.
    expect((await executionOf('timeout', 'quick')).status).toBe('SUCCEEDED');
    const { status, details } = await describeJob(ep, 'timeout');
    expect(status).toBe('COMPLETED');
    expect(details).toMatchObject({ numberOfTimedOutThings: 1, numberOfSucceededThings: 1 });
  });

  it('numberOfRetries: a FAILED execution is retried with executionNumber counting up, then stays FAILED', async () => {
    ep = await startFleetEndpoint({
      profiles: fixedProfile({ outcomes: { fail: 1 }, startSeconds: 1, runSeconds: 10 }),
    });
    ep.emulator.registry.things.createThing({ thingName: 'flaky' });
    await ep.iot.send(
      new CreateJobCommand({
        jobId: 'retry',
        targets: [thingArn(ep, 'flaky')],
        document: '{}',
        jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 2 }] },
      }),
    );
    const seen: string[] = [];
    for (let i = 0; i < 60; i++) {
      const { status, executionNumber } = await executionOf('retry', 'flaky');
      const step = `${executionNumber} ${status}`;
      if (seen[seen.length - 1] !== step) seen.push(step);
      await ep.clock.advance(second);
    }
    expect(seen).toEqual([
      '1 QUEUED',
      '1 IN_PROGRESS',
      '2 QUEUED',
      '2 IN_PROGRESS',
      '3 QUEUED',
      '3 IN_PROGRESS',
      '3 FAILED',
    ]);
    const listed = await ep.iot.send(new ListJobExecutionsForThingCommand({ thingName: 'flaky' }));
    expect(listed.executionSummaries?.[0]?.jobExecutionSummary).toMatchObject({
      status: 'FAILED',
      executionNumber: 3,
      retryAttempt: 2,
    });
    const { status, details } = await describeJob(ep, 'retry');
    expect(status).toBe('COMPLETED');
    expect(details.numberOfFailedThings).toBe(1);
  });
});

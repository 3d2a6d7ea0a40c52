import {
  CreateJobCommand,
  type JobExecutionStatus,
  ListJobExecutionsForJobCommand,
} from '@aws-sdk/client-iot';
import { afterEach, describe, expect, it } from 'vitest';
import { counterSum, minute, second } from '../../support/fleet.js';
import { describeJob, type FleetEndpoint, groupArn, startFleetEndpoint } from './fleet-endpoint.js';

let ep: FleetEndpoint;
afterEach(async () => ep.close());

describe('SNAPSHOT job completion through the IoT endpoint', () => {
  it('completes once every execution is terminal, and DescribeJob’s counters add up to the execution count at every sample', async () => {
    ep = await startFleetEndpoint({
      seed: 'completion',
      profiles: {
        default: {
          outcomes: { fail: 0.1, reject: 0.05, hang: 0.05 },
          startLatency: { medianSeconds: 20, spread: 0.6 },
          runLatency: { medianSeconds: 120, spread: 0.5 },
        },
      },
    });
    const seeded = ep.fleet.seedFleet({ size: 500 });
    await ep.iot.send(
      new CreateJobCommand({
        jobId: 'snapshot',
        targets: [groupArn(ep, seeded.groups[0]!.thingGroupName)],
        document: '{}',
        jobExecutionsRolloutConfig: { maximumPerMinute: 200 },
        timeoutConfig: { inProgressTimeoutInMinutes: 5 },
        jobExecutionsRetryConfig: {
          criteriaList: [
            { failureType: 'FAILED', numberOfRetries: 1 },
            { failureType: 'TIMED_OUT', numberOfRetries: 1 },
          ],
        },
      }),
    );
    const sums: number[] = [];
    let busy = 0;
    let job = await describeJob(ep, 'snapshot');
    for (let waited = 0; job.status === 'IN_PROGRESS' && waited < 2 * 60 * minute; waited += 10 * second) {
      sums.push(counterSum(job.details));
      if (job.details.numberOfQueuedThings > 0 && job.details.numberOfInProgressThings > 0) busy++;
      await ep.clock.advance(10 * second);
      job = await describeJob(ep, 'snapshot');
    }
    sums.push(counterSum(job.details));
    expect(job.status).toBe('COMPLETED');
    expect(sums.length).toBeGreaterThan(50);
    expect(busy).toBeGreaterThan(5);
    expect(new Set(sums)).toEqual(new Set([500]));
    const d = job.details;
    expect(d).toMatchObject({
      numberOfQueuedThings: 0,
      numberOfInProgressThings: 0,
      numberOfCanceledThings: 0,
    });
    for (const n of [d.numberOfFailedThings, d.numberOfRejectedThings, d.numberOfTimedOutThings]) {
      expect(n).toBeGreaterThan(0);
    }

    // The executions listed page by page tell the same story as the counters.
    const tally = new Map<JobExecutionStatus | undefined, number>();
    let nextToken: string | undefined;
    do {
      const page = await ep.iot.send(
        new ListJobExecutionsForJobCommand({ jobId: 'snapshot', maxResults: 250, nextToken }),
      );
      for (const s of page.executionSummaries ?? []) {
        const status = s.jobExecutionSummary?.status;
        tally.set(status, (tally.get(status) ?? 0) + 1);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    expect(Object.fromEntries(tally)).toEqual({
      SUCCEEDED: d.numberOfSucceededThings,
      FAILED: d.numberOfFailedThings,
      REJECTED: d.numberOfRejectedThings,
      TIMED_OUT: d.numberOfTimedOutThings,
    });
  });
});

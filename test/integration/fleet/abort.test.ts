import { CreateJobCommand } from '@aws-sdk/client-iot';
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

/**
 * 100 things notified one per second (60 per minute); each starts 1 s after
 * its notification and ends 60 s later, so about 60 are IN_PROGRESS at once.
 */
async function startJob(jobId: string, minNumberOfExecutedThings: number): Promise<void> {
  seedThings(ep, 'line', 100, 'dev');
  await ep.iot.send(
    new CreateJobCommand({
      jobId,
      targets: [groupArn(ep, 'line')],
      document: '{}',
      jobExecutionsRolloutConfig: { maximumPerMinute: 60 },
      abortConfig: {
        criteriaList: [
          { failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 50, minNumberOfExecutedThings },
        ],
      },
    }),
  );
}

async function executionStatus(jobId: string, thingName: string): Promise<string | undefined> {
  return (await describeExecution(ep, jobId, thingName)).status;
}

describe('AbortConfig through the IoT endpoint', () => {
  it('does not abort before minNumberOfExecutedThings executions completed, even when all of them failed', async () => {
    ep = await startFleetEndpoint({ profiles: fixedProfile({ outcomes: { fail: 1 }, runSeconds: 60 }) });
    await startJob('min-executed', 10);
    await ep.clock.advance(60 * second);
    const seen: Array<{ failed: number; status: string | undefined }> = [];
    for (let i = 0; i < 12; i++) {
      await ep.clock.advance(second);
      const { status, details } = await describeJob(ep, 'min-executed');
      seen.push({ failed: details.numberOfFailedThings, status });
    }
    // 100% of 1..9 executed things failed: still running. The 10th failure aborts.
    for (const s of seen) expect(s.status).toBe(s.failed < 10 ? 'IN_PROGRESS' : 'CANCELED');
    expect(seen.some((s) => s.failed === 9 && s.status === 'IN_PROGRESS')).toBe(true);
    expect(seen.some((s) => s.failed === 10 && s.status === 'CANCELED')).toBe(true);
  });

  it('aborts when thresholdPercentage of executed things failed: QUEUED executions become CANCELED, IN_PROGRESS ones run on', async () => {
    // The first ten things succeed, every later one fails: 10 of 20 executed (50%) is reached at 80 s.
    ep = await startFleetEndpoint({
      profiles: fixedProfile({ outcomes: { fail: 1 }, runSeconds: 60 }, [
        { match: { thingNameRegex: '^dev-000\\d$' }, outcomes: { fail: 0 } },
      ]),
    });
    await startJob('threshold', 10);
    await ep.clock.advance(60 * second);
    let abortedAt: Awaited<ReturnType<typeof describeJob>> | undefined;
    while (!abortedAt) {
      await ep.clock.advance(second);
      const job = await describeJob(ep, 'threshold');
      const { numberOfFailedThings: failed, numberOfSucceededThings: succeeded } = job.details;
      if (job.status === 'CANCELED') abortedAt = job;
      // Below 50% of the executed things: the job runs on.
      else expect(failed / (failed + succeeded)).toBeLessThan(0.5);
    }
    expect(abortedAt.details).toMatchObject({
      numberOfSucceededThings: 10,
      numberOfFailedThings: 10,
      numberOfQueuedThings: 0,
    });
    expect(abortedAt.reasonCode).toBeDefined();
    const running = abortedAt.details.numberOfInProgressThings;
    expect(running).toBeGreaterThan(50);
    expect(abortedAt.details.numberOfCanceledThings).toBe(100 - 20 - running);
    // The last thing was still QUEUED: canceled. dev-0030 was IN_PROGRESS: it ran on and ended.
    expect(await executionStatus('threshold', 'dev-0099')).toBe('CANCELED');
    expect(await executionStatus('threshold', 'dev-0030')).toBe('IN_PROGRESS');
    await ep.clock.advance(2 * minute);
    const after = await describeJob(ep, 'threshold');
    expect(after.status).toBe('CANCELED');
    expect(after.details.numberOfInProgressThings).toBe(0);
    expect(after.details.numberOfFailedThings).toBe(10 + running);
    expect(after.details.numberOfCanceledThings).toBe(abortedAt.details.numberOfCanceledThings);
    expect(await executionStatus('threshold', 'dev-0030')).toBe('FAILED');
  });
});

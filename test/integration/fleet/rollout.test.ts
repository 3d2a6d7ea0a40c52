import { CreateJobCommand, ListJobExecutionsForJobCommand } from '@aws-sdk/client-iot';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedProfile, maxInAnyWindow, minute, second } from '../../support/fleet.js';
import {
  describeJob,
  type FleetEndpoint,
  groupArn,
  seedThings,
  startFleetEndpoint,
} from './fleet-endpoint.js';

let ep: FleetEndpoint;
afterEach(async () => ep.close());

/** Executions that have left QUEUED (devices start 1 s after they are notified). */
async function leftQueued(jobId: string): Promise<number> {
  const { details } = await describeJob(ep, jobId);
  return details.numberOfInProgressThings + details.numberOfSucceededThings;
}

describe('JobExecutionsRolloutConfig through the IoT endpoint', () => {
  it('maximumPerMinute: no more than 100 things notified in any virtual minute', async () => {
    ep = await startFleetEndpoint({ profiles: fixedProfile({ startSeconds: 1, runSeconds: 30 }) });
    seedThings(ep, 'line', 300);
    await ep.iot.send(
      new CreateJobCommand({
        jobId: 'fixed-rate',
        targets: [groupArn(ep, 'line')],
        document: '{}',
        jobExecutionsRolloutConfig: { maximumPerMinute: 100 },
      }),
    );
    // Sample DescribeJob every 5 virtual seconds for 4 minutes.
    const samples: Array<{ at: number; left: number }> = [];
    for (let at = 0; at <= 4 * minute; at += 5 * second) {
      samples.push({ at, left: await leftQueued('fixed-rate') });
      await ep.clock.advance(5 * second);
    }
    let busiestMinute = 0;
    for (const a of samples) {
      for (const b of samples) {
        if (b.at > a.at && b.at - a.at <= minute) busiestMinute = Math.max(busiestMinute, b.left - a.left);
      }
    }
    expect(busiestMinute).toBe(100);
    // 300 things at 100 per minute take three minutes.
    expect(samples.find((s) => s.at === 2 * minute)!.left).toBeLessThanOrEqual(200);
    const notified = ep.events.filter((e) => e.type === 'notified').map((e) => e.at);
    expect(notified).toHaveLength(300);
    expect(maxInAnyWindow(notified)).toBe(100);
    await ep.clock.advance(minute);
    const { status, details } = await describeJob(ep, 'fixed-rate');
    expect(status).toBe('COMPLETED');
    expect(details.numberOfSucceededThings).toBe(300);
  });

  it('exponentialRate: AWS’s example of base 50, factor 2, every 1000 notified things gives 50, 100, 200 then 400 per minute', async () => {
    ep = await startFleetEndpoint({ profiles: fixedProfile({ startSeconds: 1, runSeconds: 10 }) });
    seedThings(ep, 'big', 4000);
    await ep.iot.send(
      new CreateJobCommand({
        jobId: 'exponential',
        targets: [groupArn(ep, 'big')],
        document: '{}',
        jobExecutionsRolloutConfig: {
          maximumPerMinute: 400,
          exponentialRate: {
            baseRatePerMinute: 50,
            incrementFactor: 2,
            rateIncreaseCriteria: { numberOfNotifiedThings: 1000 },
          },
        },
      }),
    );
    const minutes: Array<{ rate: number; started: number; rateAfter: number }> = [];
    let before = await leftQueued('exponential');
    while (before < 4000) {
      const rate = ep.fleet.simulator.jobStats('exponential')!.ratePerMinute;
      await ep.clock.advance(minute);
      const after = await leftQueued('exponential');
      minutes.push({
        rate,
        started: after - before,
        rateAfter: ep.fleet.simulator.jobStats('exponential')!.ratePerMinute,
      });
      before = after;
    }
    expect([...new Set(minutes.map((m) => m.rate))]).toEqual([50, 100, 200, 400]);
    for (const m of minutes) expect(m.started).toBeLessThanOrEqual(m.rateAfter);
    // A whole minute at one rate, with things still waiting, uses that rate (paced, so within one).
    const steady = minutes.filter((m, i) => m.rate === m.rateAfter && i < minutes.length - 1);
    for (const m of steady) expect(m.started).toBeGreaterThanOrEqual(m.rate - 1);
    // 1000 things at 50, 100 and 200 per minute, then 1000 at 400: about 20 + 10 + 5 + 2.5 minutes.
    expect(minutes.length).toBeGreaterThanOrEqual(37);
    expect(minutes.length).toBeLessThanOrEqual(39);
    const listed = await ep.iot.send(
      new ListJobExecutionsForJobCommand({ jobId: 'exponential', status: 'QUEUED', maxResults: 10 }),
    );
    expect(listed.executionSummaries).toEqual([]);
  });
});

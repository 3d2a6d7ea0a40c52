import { CreateJobCommand, ListJobExecutionsForJobCommand } from '@aws-sdk/client-iot';
import { afterEach, describe, expect, it } from 'vitest';
import type { BehaviourProfiles } from '../../../local/fleet/behaviour-profile.js';
import { minute } from '../../support/fleet.js';
import { type FleetEndpoint, groupArn, startFleetEndpoint } from './fleet-endpoint.js';

const started: FleetEndpoint[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((ep) => ep.close()));
});

const profiles: BehaviourProfiles = {
  default: {
    outcomes: { fail: 0.15, reject: 0.05 },
    startLatency: { medianSeconds: 20, spread: 0.6 },
    runLatency: { medianSeconds: 90, spread: 0.5 },
  },
  overrides: [{ match: { thingGroup: 'canary-bad' }, outcomes: { fail: 0.6 } }],
};

/** Runs one job over a 300-thing fleet to completion; answers `thingArn -> status #executionNumber`. */
async function fates(seed: string, maximumPerMinute: number): Promise<Map<string, string>> {
  const ep = await startFleetEndpoint({ seed, profiles });
  started.push(ep);
  // The fleet itself is planned from a fixed seed: only the simulator's seed differs between runs.
  ep.fleet.seedFleet({ size: 300, seed: 'fleet-plan', canaryShare: 0.05 });
  await ep.iot.send(
    new CreateJobCommand({
      jobId: 'wave-1',
      targets: [groupArn(ep, 'fleet')],
      document: '{}',
      jobExecutionsRolloutConfig: { maximumPerMinute },
      jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 2 }] },
    }),
  );
  await ep.clock.advance(60 * minute);
  const out = new Map<string, string>();
  let nextToken: string | undefined;
  do {
    const page = await ep.iot.send(
      new ListJobExecutionsForJobCommand({ jobId: 'wave-1', maxResults: 250, nextToken }),
    );
    for (const s of page.executionSummaries ?? []) {
      out.set(s.thingArn!, `${s.jobExecutionSummary?.status} #${s.jobExecutionSummary?.executionNumber}`);
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

describe('Determinism of the simulated fleet', () => {
  it('gives every thing the same outcome and attempts with the same seed, whatever the rollout rate', async () => {
    const first = await fates('rehearsal', 1000);
    const second = await fates('rehearsal', 60);
    expect(first.size).toBe(300);
    expect([...first.values()].some((f) => f.startsWith('SUCCEEDED'))).toBe(true);
    expect([...first.values()].some((f) => f.startsWith('FAILED #3'))).toBe(true);
    expect([...first.values()].some((f) => f.startsWith('REJECTED'))).toBe(true);
    expect(second).toEqual(first);
  });

  it('gives other outcomes with another seed', async () => {
    const first = await fates('rehearsal', 1000);
    const other = await fates('another-rehearsal', 1000);
    const differing = [...first].filter(([thing, fate]) => other.get(thing) !== fate);
    expect(differing.length).toBeGreaterThan(10);
  });
});

import { CreateJobCommand, ListThingsInThingGroupCommand } from '@aws-sdk/client-iot';
import { afterEach, describe, expect, it } from 'vitest';
import { attachFleetSimulator } from '../../../local/fleet/attach-fleet.js';
import { defaultBehaviourProfiles } from '../../../local/fleet/behaviour-profile.js';
import { fixedProfile } from '../../support/fleet.js';
import {
  describeJob,
  type FleetEndpoint,
  groupArn,
  seedThings,
  startFleetEndpoint,
} from './fleet-endpoint.js';

let ep: FleetEndpoint;
afterEach(async () => ep.close());

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: a test reads whatever JSON the route answered
  body: any;
}

async function call(method: string, path: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${ep.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

const start = Date.UTC(2026, 0, 1);

describe('The fleet admin routes under /_fleetwave/ over HTTP', () => {
  it('POST /_fleetwave/fleet/seed creates the planned things and groups in the registry, idempotently', async () => {
    ep = await startFleetEndpoint({ seed: 'admin' });
    const first = await call('POST', '/_fleetwave/fleet/seed', { size: 1000, canaryShare: 0.02 });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ seed: 'admin', size: 1000, thingsCreated: 1000, groupsCreated: 10 });
    expect(first.body.groups[0]).toMatchObject({ thingGroupName: 'fleet', kind: 'root', size: 1000 });
    expect(first.body.groups).toContainEqual(
      expect.objectContaining({ thingGroupName: 'canary-bad', kind: 'cohort', size: 20 }),
    );
    const regions = first.body.groups.filter((g: { kind: string }) => g.kind === 'region');
    expect(regions.reduce((sum: number, g: { size: number }) => sum + g.size, 0)).toBe(1000);

    let listed = 0;
    let nextToken: string | undefined;
    do {
      const page = await ep.iot.send(
        new ListThingsInThingGroupCommand({
          thingGroupName: 'fleet',
          recursive: true,
          maxResults: 250,
          nextToken,
        }),
      );
      listed += page.things?.length ?? 0;
      nextToken = page.nextToken;
    } while (nextToken);
    expect(listed).toBe(1000);

    const again = await call('POST', '/_fleetwave/fleet/seed', { size: 1000, canaryShare: 0.02 });
    expect(again.body).toMatchObject({
      thingsCreated: 0,
      groupsCreated: 0,
      sampleThingNames: first.body.sampleThingNames,
    });
  });

  it('refuses a bad seed request with 400 and a message naming the field', async () => {
    ep = await startFleetEndpoint();
    for (const body of [
      {},
      { size: -1 },
      { size: 1.5 },
      { size: 10, canaryShare: 2 },
      { size: 10, colour: 'red' },
    ]) {
      const answer = await call('POST', '/_fleetwave/fleet/seed', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.message).toMatch(/^Invalid request: /);
    }
    expect(
      (await call('POST', '/_fleetwave/fleet/seed', { size: 10, rootGroupName: 'no spaces' })).body.message,
    ).toMatch(/rootGroupName/);
    const malformed = await call('POST', '/_fleetwave/fleet/seed', '{"size": ');
    expect(malformed).toEqual({ status: 400, body: { message: 'The request body is not valid JSON.' } });
    expect(ep.emulator.registry.things.thingCount).toBe(0);
  });

  it('GET and PUT /_fleetwave/fleet/profiles read and replace the behaviour profiles, refusing invalid ones with 400', async () => {
    ep = await startFleetEndpoint({ profiles: defaultBehaviourProfiles });
    expect(await call('GET', '/_fleetwave/fleet/profiles')).toEqual({
      status: 200,
      body: defaultBehaviourProfiles,
    });
    const next = fixedProfile({ outcomes: { fail: 0.5 } }, [
      { match: { thingGroup: 'canary-bad' }, outcomes: { reject: 1 } },
    ]);
    expect(await call('PUT', '/_fleetwave/fleet/profiles', next)).toEqual({ status: 200, body: next });
    expect((await call('GET', '/_fleetwave/fleet/profiles')).body).toEqual(next);

    const bad = await call('PUT', '/_fleetwave/fleet/profiles', {
      default: { ...next.default, outcomes: { fail: 2 } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('default.outcomes.fail');
    expect(bad.body.details).toContainEqual({ path: 'default.outcomes.fail', message: 'must be at most 1' });
    expect((await call('GET', '/_fleetwave/fleet/profiles')).body).toEqual(next);
  });

  it('POST /_fleetwave/clock/advance answers once the timers that fell due have run', async () => {
    ep = await startFleetEndpoint({ profiles: fixedProfile({ startSeconds: 1, runSeconds: 30 }) });
    expect(await call('GET', '/_fleetwave/clock')).toEqual({
      status: 200,
      body: { now: '2026-01-01T00:00:00.000Z', epochMs: start, mode: { kind: 'manual' }, pendingTimers: 0 },
    });
    seedThings(ep, 'line', 10, 'dev');
    await ep.iot.send(
      new CreateJobCommand({ jobId: 'steered', targets: [groupArn(ep, 'line')], document: '{}' }),
    );
    const advanced = await call('POST', '/_fleetwave/clock/advance', { minutes: 1, seconds: 30 });
    expect(advanced.status).toBe(200);
    expect(advanced.body).toMatchObject({ advancedMs: 90_000, now: '2026-01-01T00:01:30.000Z' });
    expect(await describeJob(ep, 'steered')).toMatchObject({
      status: 'COMPLETED',
      details: { numberOfSucceededThings: 10 },
    });
    const stats = await call('GET', '/_fleetwave/fleet/jobs/steered');
    expect(stats).toMatchObject({
      status: 200,
      body: {
        jobId: 'steered',
        status: 'COMPLETED',
        active: false,
        notifiedThings: 10,
        succeededThings: 10,
        waitingToNotify: 0,
        completed: { SUCCEEDED: 10, FAILED: 0, REJECTED: 0, TIMED_OUT: 0 },
        executions: { SUCCEEDED: 10, QUEUED: 0 },
      },
    });
    expect(await call('GET', '/_fleetwave/fleet/jobs/unknown')).toEqual({
      status: 404,
      body: { message: 'The fleet simulator has no job unknown.' },
    });
  });

  it('POST /_fleetwave/clock/set moves time forward only; PUT /_fleetwave/clock/mode validates the mode', async () => {
    ep = await startFleetEndpoint();
    const set = await call('POST', '/_fleetwave/clock/set', { time: '2026-01-01T06:00:00Z' });
    expect(set.body).toMatchObject({ now: '2026-01-01T06:00:00.000Z' });
    expect((await call('POST', '/_fleetwave/clock/set', { time: start + 7 * 3_600_000 })).body.now).toBe(
      '2026-01-01T07:00:00.000Z',
    );
    const back = await call('POST', '/_fleetwave/clock/set', { time: '2026-01-01T00:00:00Z' });
    expect(back.status).toBe(400);
    expect(back.body.message).toMatch(/never goes back/);
    for (const body of [{}, { minutes: -1 }, { minutes: 'ten' }, { days: 1 }, { hours: 9000 }]) {
      expect((await call('POST', '/_fleetwave/clock/advance', body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await call('POST', '/_fleetwave/clock/set', { time: 'tomorrow' })).status).toBe(400);
    // Past the range of a date: refused, and the clock has not moved.
    for (const time of [8.64e15 + 1, Number.MAX_SAFE_INTEGER, '+275760-09-13T00:00:00.001Z']) {
      const refused = await call('POST', '/_fleetwave/clock/set', { time });
      expect(refused.status, String(time)).toBe(400);
    }
    expect((await call('GET', '/_fleetwave/clock')).body.now).toBe('2026-01-01T07:00:00.000Z');
    expect((await call('POST', '/_fleetwave/clock/advance', { minutes: 1 })).body.now).toBe(
      '2026-01-01T07:01:00.000Z',
    );
    expect((await call('PUT', '/_fleetwave/clock/mode', { kind: 'scaled' })).status).toBe(400);
    expect((await call('PUT', '/_fleetwave/clock/mode', { kind: 'warp' })).status).toBe(400);
    const scaled = await call('PUT', '/_fleetwave/clock/mode', { kind: 'scaled', factor: 60 });
    expect(scaled.body.mode).toEqual({ kind: 'scaled', factor: 60 });
    const manual = await call('PUT', '/_fleetwave/clock/mode', { kind: 'manual' });
    expect(manual.body.mode).toEqual({ kind: 'manual' });
    expect(ep.clock.timeMode).toEqual({ kind: 'manual' });
    expect(await call('GET', '/_fleetwave/fleet/nowhere')).toMatchObject({ status: 404 });
  });

  it('serves one attached simulator at a time: a second attach throws, and after close the routes answer 404', async () => {
    ep = await startFleetEndpoint();
    expect(() => attachFleetSimulator(ep.emulator, { clock: ep.clock, seed: 'second' })).toThrow(
      /already attached/,
    );
    ep.fleet.close();
    expect(await call('GET', '/_fleetwave/fleet/profiles')).toEqual({
      status: 404,
      body: { message: 'No fleet simulator is attached to this endpoint.' },
    });
    const again = attachFleetSimulator(ep.emulator, { clock: ep.clock, seed: 'second' });
    expect((await call('POST', '/_fleetwave/fleet/seed', { size: 3 })).body.seed).toBe('second');
    again.close();
  });
});

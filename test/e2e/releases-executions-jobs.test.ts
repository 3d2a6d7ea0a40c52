/**
 * A wave's executions where the wave is more than one IoT job (a pause with
 * `haltRollout`, then a resume with a follow-up job), and where AWS IoT's own
 * per-second rate throttles the describes and the lists: the local IoT endpoint limits
 * every operation to a few requests per virtual second, as AWS does.
 */
import { describe, expect, it } from 'vitest';
import { waveJobId } from '../../lib/domain/wave-job.js';
import { fixedProfile } from '../support/fleet.js';
import { fleetThings, stepUntilMidWave } from '../support/halt.js';
import { useWorkflowStack } from '../support/workflow.js';
import { call, createReleaseOk, runUntilApi } from './releases-support.js';

interface Item {
  thingName: string;
  status: string;
}

/** Every page of `url` at `maxResults` a page. */
async function allPages(
  stack: Parameters<typeof call>[0],
  url: string,
  maxResults: number,
): Promise<Item[][]> {
  const pages: Item[][] = [];
  let nextToken: string | undefined;
  do {
    const token = nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : '';
    const page = await call(
      stack,
      'GET',
      `${url}${url.includes('?') ? '&' : '?'}maxResults=${maxResults}${token}`,
    );
    expect(page.status).toBe(200);
    pages.push(page.json.items);
    nextToken = page.json.nextToken;
  } while (nextToken);
  return pages;
}

describe('a halted wave, resumed with a follow-up job', () => {
  const env = useWorkflowStack({
    fleet: { size: 20, canaryShare: 0 },
    profiles: fixedProfile({ startSeconds: 5, runSeconds: 60 }),
  });

  it('pages across the first job and its follow-up, every thing SUCCEEDED exactly once', async () => {
    const { stack, clients } = env();
    const id = 'e2e-halted-pages';
    const things = await fleetThings(clients.iot, 10);
    await createReleaseOk(stack, {
      releaseId: id,
      jobTemplateId: 'fw-2-0',
      waves: [{ targets: { things }, jobExecutionsRolloutConfig: { maximumPerMinute: 2 } }],
    });
    await runUntilApi(stack, id, (v) => v.waves[0].status === 'IN_PROGRESS', 'wave 1 running');
    expect((await stepUntilMidWave(stack, clients.iot, waveJobId(id, 1))).queued).toBeGreaterThanOrEqual(1);
    expect((await call(stack, 'POST', `/releases/${id}/pause`, { body: { haltRollout: true } })).status).toBe(
      200,
    );
    await runUntilApi(stack, id, (v) => v.release.status === 'PAUSED', 'held');
    expect((await call(stack, 'POST', `/releases/${id}/resume`)).status).toBe(200);
    const done = await runUntilApi(stack, id, (v) => v.release.status === 'SUCCEEDED', 'succeeded');
    expect(done.waves[0].followUpJobIds).toHaveLength(1);

    const url = `/releases/${id}/waves/1/executions`;
    const succeeded = (await allPages(stack, `${url}?status=SUCCEEDED`, 3)).flat();
    expect(succeeded.map((e) => e.thingName).sort()).toEqual(things);
    // The things the first job never started were canceled there and ran in the follow-up: both listed.
    const pages = await allPages(stack, url, 4);
    const every = pages.flat();
    const canceled = every.filter((e) => e.status === 'CANCELED').map((e) => e.thingName);
    expect(canceled.length).toBeGreaterThanOrEqual(1);
    expect(every).toHaveLength(things.length + canceled.length);
    expect(pages.slice(0, -1).every((p) => p.length === 4)).toBe(true);
    // The first job lists every thing of the wave, so the follow-up's begin after its ten.
    expect(
      every
        .slice(0, 10)
        .map((e) => e.thingName)
        .sort(),
    ).toEqual(things);
    expect(
      every
        .slice(10)
        .map((e) => e.thingName)
        .sort(),
    ).toEqual([...canceled].sort());
  });
});

describe('AWS IoT throttling the describes', () => {
  const RATE = 3;
  const env = useWorkflowStack({
    fleet: { size: 10, canaryShare: 0 },
    profiles: fixedProfile({ startSeconds: 5, runSeconds: 30 }),
    iotLimits: { requestsPerSecond: RATE },
    iotCallsPerSecond: RATE,
  });

  it('answers a page within IoT’s rate; past it, rows whose describe stays throttled lack details, and a throttled list is a 429', async () => {
    const { stack } = env();
    const id = 'e2e-throttled-reads';
    // A thing group, not six things: creating the release looks each target up, at IoT's rate too.
    await createReleaseOk(stack, {
      releaseId: id,
      jobTemplateId: 'fw-2-0',
      waves: [{ targets: { thingGroups: ['fleet'] } }],
    });
    await runUntilApi(stack, id, (v) => v.release.status === 'SUCCEEDED', 'succeeded');
    const url = `/releases/${id}/waves/1/executions`;

    // Six describes in one virtual second, at three a second: the time the SDK waits is wall time,
    // so the virtual second never ends for its retries and three describes stay throttled.
    await stack.clock.advance(2000);
    const throttled = await call(stack, 'GET', `${url}?maxResults=6`);
    expect(throttled.status).toBe(200);
    expect(throttled.json.items).toHaveLength(6);
    const unavailable = throttled.json.items.filter(
      (e: { detailsUnavailable?: true }) => e.detailsUnavailable,
    );
    expect(unavailable).toHaveLength(6 - RATE);
    // The same virtual second: the first request spent one of its three list calls, two more go, the next is refused.
    const statuses: number[] = [];
    for (let i = 0; i < RATE; i++) statuses.push((await call(stack, 'GET', `${url}?maxResults=1`)).status);
    expect(statuses).toEqual([200, 200, 429]);
    const refused = await call(stack, 'GET', `${url}?maxResults=1`);
    expect(refused.json.code).toBe('ThrottledError');
    expect(refused.headers.get('retry-after')).toBe('1');

    await stack.clock.advance(2000);
    const within = await call(stack, 'GET', `${url}?maxResults=${RATE}`);
    expect(within.status).toBe(200);
    expect(within.json.items).toHaveLength(RATE);
    for (const item of within.json.items) expect(item.detailsUnavailable).toBeUndefined();
  });
});

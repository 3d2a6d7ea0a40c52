/**
 * The release API end to end, over HTTP against the local stack (the real
 * handlers, DynamoDB, Step Functions running the workflow, the simulated
 * fleet): create a release and watch it to SUCCEEDED, list releases with
 * filters and pages, read the history.
 */
import { describe, expect, it } from 'vitest';
import { waveJobId } from '../../lib/domain/wave-job.js';
import {
  historyEventViewSchema,
  pageSchema,
  releaseSummarySchema,
  releaseViewSchema,
} from '../../lib/releases/release-view.js';
import { fixedProfile } from '../support/fleet.js';
import { jobIds, useWorkflowStack } from '../support/workflow.js';
import { call, createReleaseOk, executionNames, releaseRequest, runUntilApi } from './releases-support.js';

describe('releases over HTTP: create and watch', () => {
  const env = useWorkflowStack({
    fleet: { size: 40, canaryShare: 0 },
    profiles: fixedProfile({ startSeconds: 5, runSeconds: 60 }),
  });

  it('answers 202 with the PENDING release and Location, then runs it wave by wave to SUCCEEDED', async () => {
    const { stack, clients } = env();
    const res = await call(stack, 'POST', '/releases', {
      body: releaseRequest({ releaseId: 'watch-1', description: 'firmware 2.0 for the fleet' }),
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toBe('/releases/watch-1');
    expect(res.json.release).toMatchObject({
      releaseId: 'watch-1',
      status: 'PENDING',
      jobTemplateId: 'fw-2-0',
    });
    expect(res.json.release.waves[0]).toMatchObject({
      percentage: 10,
      successThresholdPercent: 90,
      minExecutedThings: 100,
    });
    expect(res.json.waves.map((w: { status: string }) => w.status)).toEqual([
      'PENDING',
      'PENDING',
      'PENDING',
    ]);
    expect(res.json.links).toEqual({
      self: '/releases/watch-1',
      history: '/releases/watch-1/history',
      cancel: '/releases/watch-1/cancel',
      pause: '/releases/watch-1/pause',
    });
    expect(await executionNames(stack, clients)).toContain('watch-1');

    const running = await runUntilApi(
      stack,
      'watch-1',
      (v) => v.waves[0].status === 'IN_PROGRESS' && v.waves[0].counts !== undefined,
      'wave 1 running with counts',
    );
    expect(running.release).toMatchObject({ status: 'IN_PROGRESS', currentWave: 1 });
    expect(running.waves[0]).toMatchObject({ jobId: waveJobId('watch-1', 1) });
    expect(running.waves[0].startedAt).toMatch(/^2026-01-01T/);

    const done = await runUntilApi(stack, 'watch-1', (v) => v.release.status === 'SUCCEEDED', 'SUCCEEDED');
    expect(done.waves.map((w: { status: string }) => w.status)).toEqual([
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
    ]);
    const succeeded = done.waves.reduce(
      (sum: number, w: { counts?: { numberOfSucceededThings: number } }) =>
        sum + (w.counts?.numberOfSucceededThings ?? 0),
      0,
    );
    expect(succeeded).toBe(40);
    for (const wave of done.waves) expect(wave.succeededPercent).toBe(100);
    expect(done.links).toEqual({ self: '/releases/watch-1', history: '/releases/watch-1/history' });
    // The answers are exactly what docs/openapi.yaml documents (its schemas are generated from these).
    expect(releaseViewSchema.parse(res.json)).toEqual(res.json);
    expect(releaseViewSchema.parse(done)).toEqual(done);
    expect(await jobIds(clients)).toEqual([1, 2, 3].map((n) => waveJobId('watch-1', n)));
  });

  it('keeps the whole story in the history, oldest first, on the same clock as the workflow, paged', async () => {
    const { stack } = env();
    const first = await call(stack, 'GET', '/releases/watch-1/history?limit=4');
    expect(first.status).toBe(200);
    expect(first.json.items).toHaveLength(4);
    expect(first.json.items[0]).toMatchObject({ type: 'RELEASE_CREATED', to: 'PENDING' });
    expect(first.json.items[0]).not.toHaveProperty('seq');
    expect(pageSchema(historyEventViewSchema).parse(first.json)).toEqual(first.json);
    const events = [...first.json.items];
    let nextToken: string | undefined = first.json.nextToken;
    while (nextToken) {
      const page = await call(
        stack,
        'GET',
        `/releases/watch-1/history?limit=4&nextToken=${encodeURIComponent(nextToken)}`,
      );
      expect(page.status).toBe(200);
      events.push(...page.json.items);
      nextToken = page.json.nextToken;
    }
    const trail = events
      .filter((e) => e.type !== 'WAVE_PROGRESS' && e.type !== 'NOTIFICATION')
      .map((e) => (e.waveNumber ? `W${e.waveNumber}:${e.to}` : `R:${e.to}`));
    expect(trail).toEqual([
      'R:PENDING',
      'R:IN_PROGRESS',
      'W1:IN_PROGRESS',
      'W1:SUCCEEDED',
      'W2:IN_PROGRESS',
      'W2:SUCCEEDED',
      'W3:IN_PROGRESS',
      'W3:SUCCEEDED',
      'R:SUCCEEDED',
    ]);
    expect(events.some((e) => e.type === 'WAVE_PROGRESS' && e.counts)).toBe(true);
    // People were told on SNS how it ended.
    expect(events.filter((e) => e.type === 'NOTIFICATION').map((e) => e.notification)).toEqual([
      expect.objectContaining({ channel: 'sns', detailType: 'Release Succeeded', delivered: true }),
    ]);
    const times = events.map((e) => e.at);
    expect(times).toEqual([...times].sort());
  });

  it('answers 404 for the history of a release that does not exist, and 400 for a bad page token', async () => {
    const { stack } = env();
    expect((await call(stack, 'GET', '/releases/never-was/history')).status).toBe(404);
    const bad = await call(stack, 'GET', '/releases/watch-1/history?nextToken=not-a-token');
    expect(bad.status).toBe(400);
    expect(bad.json.details).toEqual([expect.objectContaining({ path: 'nextToken' })]);
  });
});

describe('releases over HTTP: listing', () => {
  const env = useWorkflowStack({ fleet: { size: 10, canaryShare: 0 } });

  it('lists newest first, pages with limit and nextToken, and filters by status', async () => {
    const { stack } = env();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      ids.push(await createReleaseOk(stack, releaseRequest({ releaseId: `list-${i}` })));
      await stack.clock.advance(1000); // distinct creation times
    }
    // Cancel two, so that two statuses are listed.
    for (const id of ['list-1', 'list-4']) {
      expect((await call(stack, 'POST', `/releases/${id}/cancel`)).status).toBe(200);
    }

    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const query = new URLSearchParams({ limit: '3', ...(nextToken && { nextToken }) });
      const page = await call(stack, 'GET', `/releases?${query}`);
      expect(page.status).toBe(200);
      expect(page.json.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.json.items.map((r: { releaseId: string }) => r.releaseId));
      nextToken = page.json.nextToken;
      pages++;
    } while (nextToken);
    expect(seen).toEqual([...ids].reverse());
    expect(pages).toBe(3);

    const canceled = await call(stack, 'GET', '/releases?status=CANCELED');
    expect(canceled.json.items.map((r: { releaseId: string }) => r.releaseId)).toEqual(['list-4', 'list-1']);
    expect(canceled.json.items[0]).toMatchObject({
      status: 'CANCELED',
      waveCount: 3,
      links: { self: '/releases/list-4' },
    });
    expect(canceled.json).not.toHaveProperty('nextToken');
    expect(pageSchema(releaseSummarySchema).parse(canceled.json)).toEqual(canceled.json);
  });

  it('refuses a page token used with another status filter, an unknown status and a limit out of range', async () => {
    const { stack } = env();
    const first = await call(stack, 'GET', '/releases?limit=1');
    const token = encodeURIComponent(first.json.nextToken);
    const mixed = await call(stack, 'GET', `/releases?status=CANCELED&nextToken=${token}`);
    expect(mixed.status).toBe(400);
    expect(mixed.json.details[0].path).toBe('nextToken');
    const status = await call(stack, 'GET', '/releases?status=DONE');
    expect(status.status).toBe(400);
    expect(status.json.details[0].path).toBe('status');
    const limit = await call(stack, 'GET', '/releases?limit=101');
    expect(limit.status).toBe(400);
    expect(limit.json.details[0].path).toBe('limit');
  });

  it('answers 404 for a release that does not exist and 400 for an id that cannot be one', async () => {
    const { stack } = env();
    const missing = await call(stack, 'GET', '/releases/never-was');
    expect(missing.status).toBe(404);
    expect(missing.json.code).toBe('NotFoundError');
    const bad = await call(stack, 'GET', '/releases/has.dots');
    expect(bad.status).toBe(400);
    expect(bad.json.details[0].path).toBe('releaseId');
  });
});

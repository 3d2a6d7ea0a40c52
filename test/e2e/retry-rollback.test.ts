/**
 * Retry and rollback end to end on the local stack, over REST and through
 * the `fleetwave` command: a release that ends with some devices failed is
 * retried and rolled back; the new releases are stored as made from it, the
 * two histories point at each other with the caller as actor, and each new
 * release's execution starts. Which things the new releases reach is the
 * workflow's part (it gathers them before the first wave), not asserted here.
 */
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../cli/exit-codes.js';
import { releaseIdForIdempotencyKey } from '../../lib/releases/create-release.js';
import { fixedProfile } from '../support/fleet.js';
import { clearIotFaults, injectIotFault } from '../support/local-stack.js';
import { useWorkflowStack } from '../support/workflow.js';
import {
  call,
  cliFor,
  createReleaseOk,
  executionNames,
  releaseRequest,
  runUntilApi,
} from './releases-support.js';

const TEMPLATE = 'fw-2-0';

/** One wave over the whole fleet, which a third of the devices fail, that still ends SUCCEEDED. */
const tolerant = (releaseId: string) =>
  releaseRequest({
    releaseId,
    waves: [{ percentage: 100, successThresholdPercent: 0, failureThresholdPercent: 100 }],
  });

// biome-ignore lint/suspicious/noExplicitAny: history items as JSON
type HistoryItem = any;

describe('retry and rollback over REST and the CLI', () => {
  const env = useWorkflowStack(
    {
      fleet: { size: 20, canaryShare: 0 },
      profiles: fixedProfile({ outcomes: { fail: 0.3 }, startSeconds: 5, runSeconds: 60 }),
    },
    TEMPLATE,
  );

  /** Creates the original, refuses a retry while it runs, and lets it end; returns its counts. */
  async function endedOriginal(releaseId: string) {
    const { stack } = env();
    const id = await createReleaseOk(stack, tolerant(releaseId));
    const early = await call(stack, 'POST', `/releases/${id}/retry`);
    expect(early.status).toBe(409);
    expect(early.json.message).toMatch(/must have ended/);
    const done = await runUntilApi(stack, id, (v) => v.release.status === 'SUCCEEDED', 'ended');
    const counts = done.waves[0].counts;
    // The fleet's failures are what there is to retry; its successes, what there is to roll back.
    expect(counts.numberOfFailedThings).toBeGreaterThan(0);
    expect(counts.numberOfSucceededThings).toBeGreaterThan(0);
    return id;
  }

  async function history(releaseId: string): Promise<HistoryItem[]> {
    const res = await call(env().stack, 'GET', `/releases/${releaseId}/history?limit=500`);
    expect(res.status).toBe(200);
    return res.json.items;
  }

  it('retries over REST: 202 with retryOf, idempotent by key, both histories linked, its execution started', async () => {
    const { stack, clients } = env();
    const original = await endedOriginal('e2e-retry-orig');
    const headers = { 'idempotency-key': 'retry-key-1' };

    const res = await call(stack, 'POST', `/releases/${original}/retry`, { headers });
    expect(res.status).toBe(202);
    const id = releaseIdForIdempotencyKey('retry-key-1');
    expect(res.headers.get('location')).toBe(`/releases/${id}`);
    expect(res.json.release).toMatchObject({
      releaseId: id,
      retryOf: original,
      jobTemplateId: TEMPLATE,
      createdBy: 'local',
      targets: { thingGroups: [`fleetwave-${id}-targets`] },
      targetSet: {
        sourceReleaseId: original,
        statuses: ['FAILED', 'TIMED_OUT', 'REJECTED'],
        thingGroupName: `fleetwave-${id}-targets`,
      },
    });
    expect(res.json.release).not.toHaveProperty('rollbackOf');
    expect(res.json.release.waves).toHaveLength(1);

    // The same key and body: the same release, 200 (as POST /releases); another body under the key: 409.
    const again = await call(stack, 'POST', `/releases/${original}/retry`, { headers });
    expect(again.status).toBe(200);
    expect(again.headers.get('location')).toBe(res.headers.get('location'));
    expect(again.json.release.releaseId).toBe(id);
    const other = await call(stack, 'POST', `/releases/${original}/retry`, {
      headers,
      body: { waves: [{ percentage: 50 }, { percentage: 100 }] },
    });
    expect(other.status).toBe(409);

    const linked = (await history(original)).filter((e) => e.type === 'RELEASE_LINKED');
    expect(linked).toEqual([
      expect.objectContaining({ relatedReleaseId: id, actor: 'local', reason: `Retried as release ${id}` }),
    ]);
    const created = (await history(id)).find((e) => e.type === 'RELEASE_CREATED');
    expect(created).toMatchObject({ relatedReleaseId: original, actor: 'local' });
    expect(await executionNames(stack, clients)).toContain(id);
  });

  it('completes a retry whose start was throttled: 429, then the same request links once and starts one execution', async () => {
    const { stack, clients } = env();
    const original = await endedOriginal('e2e-throttled-orig');
    const faults = stack.workflow.stepFunctionsFaults;
    const fault = faults.add({ operation: 'StartExecution', error: 'ThrottlingException' });
    const headers = { 'idempotency-key': 'retry-throttled' };
    const id = releaseIdForIdempotencyKey('retry-throttled');
    try {
      const res = await call(stack, 'POST', `/releases/${original}/retry`, { headers });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('1');
    } finally {
      faults.remove(fault);
    }
    // Stored and linked, with no execution behind it yet.
    expect((await call(stack, 'GET', `/releases/${id}`)).json.release).toMatchObject({
      status: 'PENDING',
      retryOf: original,
    });
    expect(await executionNames(stack, clients)).not.toContain(id);
    const linkedFirst = (await history(original)).filter((e) => e.type === 'RELEASE_LINKED');
    expect(linkedFirst.map((e) => e.relatedReleaseId)).toEqual([id]);

    const retries = await Promise.all(
      [1, 2, 3].map(() => call(stack, 'POST', `/releases/${original}/retry`, { headers })),
    );
    expect(retries.map((r) => [r.status, r.json.release.releaseId])).toEqual([1, 2, 3].map(() => [200, id]));
    expect((await executionNames(stack, clients)).filter((name) => name === id)).toEqual([id]);
    const linked = (await history(original)).filter((e) => e.type === 'RELEASE_LINKED');
    expect(linked.map((e) => e.relatedReleaseId)).toEqual([id]);
  });

  it('refuses what cannot be retried or rolled back, storing nothing', async () => {
    const { stack } = env();
    const original = await endedOriginal('e2e-refusals-orig');
    const before = (await call(stack, 'GET', '/releases?limit=100')).json.items.length;

    const unknown = await call(stack, 'POST', '/releases/no-such-release/retry');
    expect(unknown.status).toBe(404);
    const noTemplate = await call(stack, 'POST', `/releases/${original}/rollback`, { body: {} });
    expect(noTemplate.status).toBe(400);
    expect(noTemplate.json.details.map((d: { path: string }) => d.path)).toEqual(['jobTemplateId']);
    const unknownTemplate = await call(stack, 'POST', `/releases/${original}/rollback`, {
      body: { jobTemplateId: 'fw-0-9' },
    });
    expect(unknownTemplate.status).toBe(400);
    expect(unknownTemplate.json.details).toEqual([
      { path: 'jobTemplateId', message: 'names no job template (fw-0-9 does not exist)' },
    ]);
    const badWaves = await call(stack, 'POST', `/releases/${original}/retry`, {
      body: { waves: [{ percentage: 50 }] },
    });
    expect(badWaves.status).toBe(400);
    expect(JSON.stringify(badWaves.json.details)).toContain('waves');
    const unknownField = await call(stack, 'POST', `/releases/${original}/retry`, { body: { force: true } });
    expect(unknownField.status).toBe(400);

    await injectIotFault(stack, { operation: 'DescribeJobTemplate', error: 'ThrottlingException' });
    try {
      const throttled = await call(stack, 'POST', `/releases/${original}/retry`);
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBe('1');
    } finally {
      await clearIotFaults(stack);
    }

    expect((await call(stack, 'GET', '/releases?limit=100')).json.items.length).toBe(before);
    expect((await history(original)).filter((e) => e.type === 'RELEASE_LINKED')).toEqual([]);
  });

  it('retries and rolls back through the CLI, whose history shows the links', async () => {
    const { stack, clients } = env();
    const original = await endedOriginal('e2e-cli-orig');
    const cli = cliFor(stack);

    const retried = await cli([
      'releases',
      'retry',
      original,
      '--waves',
      '50,100',
      '--release-id',
      'cli-retry',
    ]);
    expect(retried.code).toBe(ExitCode.OK);
    expect(retried.out).toContain(`Release cli-retry created (retry of the failed things of ${original})`);

    const refused = await cli(['releases', 'rollback', original]);
    expect(refused.code).toBe(ExitCode.API_REFUSED);
    const rolledBack = await cli([
      'releases',
      'rollback',
      original,
      '--job-template-id',
      TEMPLATE,
      '--release-id',
      'cli-rollback',
      '--json',
    ]);
    expect(rolledBack.code).toBe(ExitCode.OK);
    expect(JSON.parse(rolledBack.out).release).toMatchObject({
      releaseId: 'cli-rollback',
      rollbackOf: original,
      targetSet: { statuses: ['SUCCEEDED'] },
    });
    const got = await cli(['releases', 'get', 'cli-retry', '--json']);
    expect(JSON.parse(got.out).release).toMatchObject({
      retryOf: original,
      waves: [{ percentage: 50 }, { percentage: 100 }],
    });

    const shown = await cli(['releases', 'get', 'cli-rollback']);
    expect(shown.out).toContain(`rollback of: ${original}`);

    const originalHistory = await cli(['releases', 'history', original, '--all']);
    expect(originalHistory.out).toMatch(/local\s+Retried as release cli-retry/);
    expect(originalHistory.out).toMatch(/local\s+Rolled back by release cli-rollback/);
    const retryHistory = await cli(['releases', 'history', 'cli-retry', '--all']);
    expect(retryHistory.out).toMatch(new RegExp(`local\\s+release created from release ${original}`));
    const names = await executionNames(stack, clients);
    expect(names).toEqual(expect.arrayContaining(['cli-retry', 'cli-rollback']));
  });
});

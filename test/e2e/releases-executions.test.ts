/**
 * A wave's executions and a release's failure reasons end to end on the
 * local stack: simulated devices that fail or reject report why in
 * `statusDetails`, the executions route lists them with it (filtered,
 * paged, across a halted wave's jobs), the failure-reason summary groups
 * them, bad requests and missing waves get the answers every route gives,
 * a throttled describe leaves its row without details and a throttled list
 * is a 429.
 */
import type { IoTClient } from '@aws-sdk/client-iot';
import { describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/endpoints.js';
import { fixedProfile } from '../support/fleet.js';
import { fleetThings } from '../support/halt.js';
import { clearIotFaults, injectIotFault } from '../support/local-stack.js';
import { useWorkflowStack } from '../support/workflow.js';
import { call, createReleaseOk, runUntilApi } from './releases-support.js';

/** Six things fail with the bad image's reason, three reject (the default reason), three succeed. */
function failingProfile(things: string[]) {
  return fixedProfile({ startSeconds: 5, runSeconds: 30 }, [
    ...things.slice(0, 6).map((thingName) => ({
      match: { thingName },
      outcomes: { fail: 1 },
      statusDetails: { fail: { reason: 'checksum-mismatch', step: 'verify' } },
    })),
    ...things.slice(6, 9).map((thingName) => ({ match: { thingName }, outcomes: { reject: 1 } })),
  ]);
}

/** A one-wave release over `things` that runs to its end whatever fails (no abort, no threshold stop). */
async function runFailingRelease(stack: LocalStack, releaseId: string, things: string[]): Promise<void> {
  await createReleaseOk(stack, {
    releaseId,
    jobTemplateId: 'fw-2-0',
    waves: [{ targets: { things }, failureThresholdPercent: 100, successThresholdPercent: 0 }],
  });
  await runUntilApi(
    stack,
    releaseId,
    (v) => ['SUCCEEDED', 'FAILED'].includes(v.release.status),
    'the wave ended',
  );
}

async function setUp(stack: LocalStack, iot: IoTClient, releaseId: string): Promise<string[]> {
  const things = await fleetThings(iot, 12);
  stack.fleet.simulator.setProfiles(failingProfile(things));
  await runFailingRelease(stack, releaseId, things);
  return things;
}

const path = (id: string, wave = 1) => `/releases/${id}/waves/${wave}/executions`;

describe('a wave whose devices fail', () => {
  const env = useWorkflowStack({ fleet: { size: 20, canaryShare: 0 } });
  const id = 'e2e-failing';
  let things: string[] = [];

  it('lists the failed executions with the statusDetails their devices reported', async () => {
    const { stack, clients } = env();
    things = await setUp(stack, clients.iot, id);
    const failed = await call(stack, 'GET', `${path(id)}?status=FAILED`);
    expect(failed.status).toBe(200);
    expect(failed.json.nextToken).toBeUndefined();
    expect(failed.json.items.map((e: { thingName: string }) => e.thingName).sort()).toEqual(
      things.slice(0, 6),
    );
    for (const item of failed.json.items) {
      expect(item).toMatchObject({
        status: 'FAILED',
        executionNumber: 1,
        statusDetails: { reason: 'checksum-mismatch', step: 'verify' },
      });
      expect(Date.parse(item.startedAt)).toBeGreaterThanOrEqual(Date.parse(item.queuedAt));
      expect(Date.parse(item.lastUpdatedAt)).toBeGreaterThan(Date.parse(item.startedAt));
    }
    const rejected = await call(stack, 'GET', `${path(id)}?status=REJECTED`);
    expect(rejected.json.items).toHaveLength(3);
    for (const item of rejected.json.items) {
      expect(item.statusDetails).toEqual({ reason: 'rejected-by-device' });
    }
    const succeeded = await call(stack, 'GET', `${path(id)}?status=SUCCEEDED`);
    expect(succeeded.json.items).toHaveLength(3);
    for (const item of succeeded.json.items) expect(item.statusDetails).toBeUndefined();
  });

  it('pages through every execution with nextToken, each once', async () => {
    const { stack } = env();
    const seen: string[] = [];
    const sizes: number[] = [];
    let nextToken: string | undefined;
    do {
      const query = `maxResults=5${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`;
      const page = await call(stack, 'GET', `${path(id)}?${query}`);
      expect(page.status).toBe(200);
      sizes.push(page.json.items.length);
      seen.push(...page.json.items.map((e: { thingName: string }) => e.thingName));
      nextToken = page.json.nextToken;
    } while (nextToken);
    expect(sizes).toEqual([5, 5, 2]);
    expect(seen.sort()).toEqual(things);
    const first = await call(stack, 'GET', path(id));
    expect(first.json.items).toHaveLength(12);
  });

  it('groups the failures by reason, most frequent first, for one wave or all', async () => {
    const { stack } = env();
    const all = await call(stack, 'GET', `/releases/${id}/failure-reasons`);
    expect(all.status).toBe(200);
    expect(all.json).toEqual({
      reasons: [
        {
          reason: 'checksum-mismatch',
          count: 6,
          statuses: { FAILED: 6 },
          thingNames: expect.any(Array),
        },
        {
          reason: 'rejected-by-device',
          count: 3,
          statuses: { REJECTED: 3 },
          thingNames: expect.any(Array),
        },
      ],
      sampledExecutions: 9,
      truncated: false,
      failingExecutions: 9,
    });
    expect(all.json.reasons[0].thingNames).toHaveLength(5);
    for (const name of all.json.reasons[0].thingNames) expect(things.slice(0, 6)).toContain(name);
    expect([...all.json.reasons[1].thingNames].sort()).toEqual(things.slice(6, 9));
    const one = await call(stack, 'GET', `/releases/${id}/failure-reasons?wave=1`);
    expect(one.json).toEqual(all.json);
  });

  it('refuses bad filters, page sizes and tokens with 400', async () => {
    const { stack } = env();
    const tokenFor = async (status?: string) => {
      const q = `maxResults=1${status ? `&status=${status}` : ''}`;
      return (await call(stack, 'GET', `${path(id)}?${q}`)).json.nextToken as string;
    };
    const failedToken = await tokenFor('FAILED');
    const bad = [
      `${path(id)}?status=BROKEN`,
      `${path(id)}?maxResults=0`,
      `${path(id)}?maxResults=101`,
      `${path(id)}?maxResults=ten`,
      `${path(id)}?nextToken=not-a-token`,
      `${path(id)}?nextToken=${encodeURIComponent(Buffer.from('{"j":7}').toString('base64url'))}`,
      `${path(id)}?status=REJECTED&nextToken=${encodeURIComponent(failedToken)}`,
      `${path(id)}?nextToken=${encodeURIComponent(failedToken)}`,
      path(id, 0),
      '/releases/e2e-failing/waves/one/executions',
      `/releases/${id}/failure-reasons?wave=0`,
      `/releases/${id}/failure-reasons?wave=x`,
    ];
    for (const url of bad) {
      const res = await call(stack, 'GET', url);
      expect({ url, status: res.status, code: res.json.code }).toEqual({
        url,
        status: 400,
        code: 'ValidationError',
      });
    }
    const good = await call(
      stack,
      'GET',
      `${path(id)}?status=FAILED&nextToken=${encodeURIComponent(failedToken)}`,
    );
    expect(good.status).toBe(200);
    expect(good.json.items).toHaveLength(5);
  });

  it('answers 404 for a release or a wave that does not exist', async () => {
    const { stack } = env();
    for (const url of [
      path('no-such-release'),
      path(id, 2),
      path(id, 51),
      '/releases/no-such-release/failure-reasons',
      `/releases/${id}/failure-reasons?wave=2`,
      `/releases/${id}/failure-reasons?wave=51`,
    ]) {
      const res = await call(stack, 'GET', url);
      expect({ url, status: res.status, code: res.json.code }).toEqual({
        url,
        status: 404,
        code: 'NotFoundError',
      });
    }
  });

  it('answers a wave whose job is not made yet with no executions', async () => {
    const { stack } = env();
    const waiting = 'e2e-not-started';
    await createReleaseOk(stack, {
      releaseId: waiting,
      jobTemplateId: 'fw-2-0',
      waves: [{ targets: { things: things.slice(0, 1) } }, { targets: { things: things.slice(1, 2) } }],
    });
    const res = await call(stack, 'GET', path(waiting, 2));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ items: [] });
    const reasons = await call(stack, 'GET', `/releases/${waiting}/failure-reasons?wave=2`);
    expect(reasons.json).toEqual({
      reasons: [],
      sampledExecutions: 0,
      truncated: false,
      failingExecutions: 0,
    });
  });

  it('pages GET /releases by maxResults as by limit, and refuses the two disagreeing', async () => {
    const { stack } = env();
    const byMax = await call(stack, 'GET', '/releases?maxResults=1');
    const byLimit = await call(stack, 'GET', '/releases?limit=1');
    expect(byMax.json.items).toHaveLength(1);
    expect(byMax.json.nextToken).toBeDefined();
    expect(byMax.json).toEqual(byLimit.json);
    expect((await call(stack, 'GET', '/releases?limit=1&maxResults=1')).status).toBe(200);
    const both = await call(stack, 'GET', '/releases?limit=1&maxResults=2');
    expect(both.status).toBe(400);
    expect(both.json.details).toEqual([
      { path: 'maxResults', message: 'must equal limit when both are given' },
    ]);
  });

  it('keeps the answer while IoT throttles the describes past the SDK retries, marking what it could not read', async () => {
    const { stack } = env();
    await injectIotFault(stack, { operation: 'DescribeJobExecution', error: 'ThrottlingException' });
    try {
      const page = await call(stack, 'GET', `${path(id)}?status=FAILED`);
      expect(page.status).toBe(200);
      expect(page.json.items).toHaveLength(6);
      for (const item of page.json.items) {
        expect(item).toMatchObject({ status: 'FAILED', detailsUnavailable: true });
        expect(item.statusDetails).toBeUndefined();
      }
      const reasons = await call(stack, 'GET', `/releases/${id}/failure-reasons`);
      expect(reasons.status).toBe(200);
      expect(reasons.json).toEqual({
        reasons: [],
        sampledExecutions: 0,
        truncated: true,
        failingExecutions: 9,
      });
    } finally {
      await clearIotFaults(stack);
    }
  });

  it('answers 429 with Retry-After while IoT throttles the list past the SDK retries', async () => {
    const { stack } = env();
    await injectIotFault(stack, { operation: 'ListJobExecutionsForJob', error: 'ThrottlingException' });
    try {
      for (const url of [path(id), `/releases/${id}/failure-reasons`]) {
        const res = await call(stack, 'GET', url);
        expect({ url, status: res.status, code: res.json.code }).toEqual({
          url,
          status: 429,
          code: 'ThrottledError',
        });
        expect(res.headers.get('retry-after')).toBe('1');
      }
    } finally {
      await clearIotFaults(stack);
    }
  });

  it('shows an execution found gone by the describe as listed, without details', async () => {
    const { stack } = env();
    await injectIotFault(stack, { operation: 'DescribeJobExecution', error: 'ResourceNotFoundException' });
    try {
      const res = await call(stack, 'GET', `${path(id)}?status=FAILED`);
      expect(res.status).toBe(200);
      expect(res.json.items).toHaveLength(6);
      for (const item of res.json.items) {
        expect(item.status).toBe('FAILED');
        expect(item.statusDetails).toBeUndefined();
      }
    } finally {
      await clearIotFaults(stack);
    }
  });
});

describe('conditional GETs on the local HTTP API', () => {
  const env = useWorkflowStack({ fleet: { size: 10, canaryShare: 0 } });

  it('answers 304 while a release is unchanged, and a new ETag once it moves', async () => {
    const { stack, clients } = env();
    const [thing] = await fleetThings(clients.iot, 1);
    const id = 'e2e-etag';
    await createReleaseOk(stack, {
      releaseId: id,
      jobTemplateId: 'fw-2-0',
      waves: [{ targets: { things: [thing] } }],
    });
    const first = await call(stack, 'GET', `/releases/${id}`);
    const etag = first.headers.get('etag') as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');

    await runUntilApi(stack, id, (v) => v.release.status === 'SUCCEEDED', 'succeeded');
    const moved = await call(stack, 'GET', `/releases/${id}`, { headers: { 'if-none-match': etag } });
    expect(moved.status).toBe(200);
    expect(moved.json.release.status).toBe('SUCCEEDED');
    const ended = moved.headers.get('etag') as string;
    expect(ended).not.toBe(etag);
    // Only an ended release is sure to stay unchanged between two GETs: while it runs, the
    // workflow's tasks may write it at any moment.
    const same = await call(stack, 'GET', `/releases/${id}`, { headers: { 'if-none-match': ended } });
    expect(same.status).toBe(304);
    expect(same.text).toBe('');
    expect(same.headers.get('etag')).toBe(ended);
    for (const url of ['/releases', `/releases/${id}/history`, '/job-templates', path(id)]) {
      const tag = (await call(stack, 'GET', url)).headers.get('etag') as string;
      const again = await call(stack, 'GET', url, { headers: { 'if-none-match': tag } });
      expect({ url, status: again.status }).toEqual({ url, status: 304 });
    }
    const missing = await call(stack, 'GET', '/releases/no-such-release', {
      headers: { 'if-none-match': '*' },
    });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('etag')).toBeNull();
  });
});

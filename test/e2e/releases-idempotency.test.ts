/**
 * Creating releases over HTTP when requests repeat, race or half fail:
 * Idempotency-Key and releaseId make a retry find its release, concurrent
 * duplicates make one release and one execution, a retry starts an
 * execution an earlier attempt could not, and AWS throttling reaches the
 * caller as 429 with Retry-After.
 */
import { describe, expect, it } from 'vitest';
import { parseReleaseRequest } from '../../lib/domain/release-request.js';
import { releaseIdForIdempotencyKey } from '../../lib/releases/create-release.js';
import { useWorkflowStack } from '../support/workflow.js';
import { call, executionNames, expectThrottledCreate, releaseRequest } from './releases-support.js';

describe('releases over HTTP: idempotency', () => {
  const env = useWorkflowStack({ fleet: { size: 10, canaryShare: 0 } });

  it('creates exactly one release and one execution for 20 concurrent duplicate POSTs', async () => {
    const { stack, clients } = env();
    const key = '3f0d3c52-6a8e-4f59-9a53-6c1f5d0f1e20';
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(stack, 'POST', '/releases', { body: releaseRequest(), headers: { 'Idempotency-Key': key } }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(19);
    const id = releaseIdForIdempotencyKey(key);
    for (const answer of answers) {
      expect(answer.json.release.releaseId).toBe(id);
      expect(answer.headers.get('location')).toBe(`/releases/${id}`);
    }

    const listed = await call(stack, 'GET', '/releases?limit=100');
    expect(listed.json.items.filter((r: { releaseId: string }) => r.releaseId === id)).toHaveLength(1);
    expect((await executionNames(stack, clients)).filter((n) => n === id)).toHaveLength(1);
    const history = await call(stack, 'GET', `/releases/${id}/history`);
    expect(history.json.items.filter((e: { type: string }) => e.type === 'RELEASE_CREATED')).toHaveLength(1);
  });

  it('answers a retry with the same key and body 200 with the same release', async () => {
    const { stack } = env();
    const headers = { 'Idempotency-Key': 'retry-key-1' };
    const first = await call(stack, 'POST', '/releases', { body: releaseRequest(), headers });
    const again = await call(stack, 'POST', '/releases', { body: releaseRequest(), headers });
    expect([first.status, again.status]).toEqual([202, 200]);
    expect(again.json.release.releaseId).toBe(first.json.release.releaseId);
    expect(again.json.release.createdAt).toBe(first.json.release.createdAt);
  });

  it('answers the same key with another body 409, and creates nothing', async () => {
    const { stack, clients } = env();
    const headers = { 'Idempotency-Key': 'retry-key-2' };
    expect((await call(stack, 'POST', '/releases', { body: releaseRequest(), headers })).status).toBe(202);
    const before = await executionNames(stack, clients);
    const other = await call(stack, 'POST', '/releases', {
      body: releaseRequest({ description: 'something else' }),
      headers,
    });
    expect(other.status).toBe(409);
    expect(other.json).toMatchObject({ code: 'ConflictError' });
    expect(other.json.message).toMatch(/Idempotency-Key was used for another body/);
    expect(await executionNames(stack, clients)).toEqual(before);
  });

  it('answers the same releaseId with another body 409', async () => {
    const { stack } = env();
    expect(
      (await call(stack, 'POST', '/releases', { body: releaseRequest({ releaseId: 'idem-rid' }) })).status,
    ).toBe(202);
    const other = await call(stack, 'POST', '/releases', {
      body: releaseRequest({ releaseId: 'idem-rid', waves: [{ percentage: 100 }] }),
    });
    expect(other.status).toBe(409);
  });

  it('starts the execution on a retry after an attempt stored the release but never started it', async () => {
    const { stack, clients } = env();
    // What an attempt that died between its two steps leaves: the PENDING record, no execution.
    await clients.repository.createRelease(parseReleaseRequest(releaseRequest({ releaseId: 'half-done' })));
    expect(await executionNames(stack, clients)).not.toContain('half-done');

    const retry = await call(stack, 'POST', '/releases', {
      body: releaseRequest({ releaseId: 'half-done' }),
    });
    expect(retry.status).toBe(200);
    expect(await executionNames(stack, clients)).toContain('half-done');
  });

  it('answers 429 when Step Functions keeps throttling StartExecution, and a retry starts the one execution', async () => {
    const { stack, clients } = env();
    const faults = stack.workflow.stepFunctionsFaults;
    const fault = faults.add({ operation: 'StartExecution', error: 'ThrottlingException' });
    const body = releaseRequest({ releaseId: 'throttled-sfn' });
    try {
      const res = await call(stack, 'POST', '/releases', { body });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(res.json.code).toBe('ThrottledError');
      // Every SDK attempt was refused before the answer.
      expect(faults.fired(fault)).toBeGreaterThanOrEqual(3);
    } finally {
      faults.remove(fault);
    }
    // The first attempt stored the release; it waits, PENDING, with no execution behind it.
    const stored = await call(stack, 'GET', '/releases/throttled-sfn');
    expect(stored.json.release.status).toBe('PENDING');
    expect(await executionNames(stack, clients)).not.toContain('throttled-sfn');

    const retries = await Promise.all([1, 2, 3].map(() => call(stack, 'POST', '/releases', { body })));
    expect(retries.map((r) => r.status)).toEqual([200, 200, 200]);
    expect((await executionNames(stack, clients)).filter((name) => name === 'throttled-sfn')).toEqual([
      'throttled-sfn',
    ]);
  });

  it('answers 429 with Retry-After when AWS IoT keeps throttling the template lookup, and stores nothing', async () => {
    const { stack } = env();
    await expectThrottledCreate(stack, 'DescribeJobTemplate', releaseRequest({ releaseId: 'throttled-iot' }));
    expect((await call(stack, 'GET', '/releases/throttled-iot')).status).toBe(404);
  });

  it('answers 429 with Retry-After when DynamoDB keeps throttling, and a retry then succeeds', async () => {
    const { stack } = env();
    const fault = stack.workflow.dynamoDbFaults.add({
      operation: 'PutItem',
      error: 'ProvisionedThroughputExceededException',
    });
    const body = releaseRequest({ releaseId: 'throttled-ddb' });
    try {
      const res = await call(stack, 'POST', '/releases', { body });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(stack.workflow.dynamoDbFaults.fired(fault)).toBeGreaterThanOrEqual(3);
    } finally {
      stack.workflow.dynamoDbFaults.remove(fault);
    }
    expect((await call(stack, 'POST', '/releases', { body })).status).toBe(202);
  });
});

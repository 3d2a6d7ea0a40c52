import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  PayloadTooLargeError,
  ThrottledError,
  UpstreamError,
  ValidationError,
} from '../../../lib/domain/errors.js';
import {
  createRelease,
  MAX_STORED_RELEASE_BYTES,
  releaseIdForIdempotencyKey,
} from '../../../lib/releases/create-release.js';
import { createReleaseBodySchema } from '../../../lib/releases/schemas.js';
import { fakes, releaseBody } from './fakes.js';

const body = (overrides: Record<string, unknown> = {}) =>
  createReleaseBodySchema.parse(releaseBody(overrides));

describe('createRelease', () => {
  it('stores a PENDING release and starts its execution named after it', async () => {
    const deps = fakes();
    const result = await createRelease(deps, { body: body({ releaseId: 'r-1' }) });
    expect(result.created).toBe(true);
    expect(result.release).toMatchObject({
      release: { releaseId: 'r-1', status: 'PENDING' },
      links: { self: '/releases/r-1', history: '/releases/r-1/history', cancel: '/releases/r-1/cancel' },
    });
    expect(result.release.release.waves.map((w) => w.percentage)).toEqual([10, 50, 100]);
    expect(result.release.waves.map((w) => [w.waveNumber, w.status])).toEqual([
      [1, 'PENDING'],
      [2, 'PENDING'],
      [3, 'PENDING'],
    ]);
    expect(result.release.release).not.toHaveProperty('requestHash');
    expect(result.release.release).not.toHaveProperty('version');
    expect(deps.executions.executions.get('r-1')).toEqual({
      status: 'RUNNING',
      input: JSON.stringify({ releaseId: 'r-1' }),
    });
  });

  it('derives the same release id from the same Idempotency-Key, and a valid one', () => {
    const id = releaseIdForIdempotencyKey('6f1c0e7e-2b5d-4d43-a3a1-1a2b3c4d5e6f');
    expect(id).toBe(releaseIdForIdempotencyKey('6f1c0e7e-2b5d-4d43-a3a1-1a2b3c4d5e6f'));
    expect(id).not.toBe(releaseIdForIdempotencyKey('another-key'));
    expect(id).toMatch(/^[a-zA-Z0-9_-]{1,56}$/);
  });

  it('answers a repeat of the same key and body with the stored release, created: false, one execution', async () => {
    const deps = fakes();
    const first = await createRelease(deps, { body: body(), idempotencyKey: 'key-1' });
    const again = await createRelease(deps, { body: body(), idempotencyKey: 'key-1' });
    expect(again.created).toBe(false);
    expect(again.release.release.releaseId).toBe(first.release.release.releaseId);
    expect(deps.store.releases.size).toBe(1);
    expect(deps.executions.executions.size).toBe(1);
  });

  it('treats a repeat that spells out the defaults as the same request', async () => {
    const deps = fakes();
    await createRelease(deps, { body: body({ releaseId: 'r-defaults' }) });
    const spelled = body({
      releaseId: 'r-defaults',
      waves: [
        { percentage: 10, requireApproval: true, successThresholdPercent: 90, failureThresholdPercent: 10 },
        { percentage: 50, bakeTimeMinutes: 0 },
        { percentage: 100, timeoutMinutes: 1440 },
      ],
    });
    expect((await createRelease(deps, { body: spelled })).created).toBe(false);
  });

  it('refuses the same key with another body: ConflictError naming the key', async () => {
    const deps = fakes();
    await createRelease(deps, { body: body(), idempotencyKey: 'key-2' });
    const other = createRelease(deps, { body: body({ description: 'another' }), idempotencyKey: 'key-2' });
    await expect(other).rejects.toThrow(ConflictError);
    await expect(other).rejects.toThrow(/Idempotency-Key was used for another body/);
  });

  it('refuses the same releaseId with another body even when the other request races the first', async () => {
    const deps = fakes();
    const results = await Promise.allSettled([
      createRelease(deps, { body: body({ releaseId: 'r-race' }) }),
      createRelease(deps, { body: body({ releaseId: 'r-race', description: 'other' }) }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect((rejected as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    expect((rejected as PromiseRejectedResult).reason.message).toMatch(/releaseId was used for another body/);
  });

  it('creates exactly one release and one execution for 20 concurrent duplicates', async () => {
    const deps = fakes();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => createRelease(deps, { body: body(), idempotencyKey: 'burst' })),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.release.release.releaseId)).size).toBe(1);
    expect(deps.store.releases.size).toBe(1);
    expect(deps.executions.executions.size).toBe(1);
    expect(deps.store.history.filter((e) => e.type === 'RELEASE_CREATED')).toHaveLength(1);
  });

  it('starts the execution on a retry after the first attempt stored the release but could not start it', async () => {
    const deps = fakes();
    deps.executions.faults.fail('start', new ThrottledError('Step Functions is throttling', 2));
    await expect(createRelease(deps, { body: body(), idempotencyKey: 'partial' })).rejects.toThrow(
      ThrottledError,
    );
    const id = releaseIdForIdempotencyKey('partial');
    expect(deps.store.releases.get(id)?.status).toBe('PENDING');
    expect(deps.executions.executions.size).toBe(0);

    const retry = await createRelease(deps, { body: body(), idempotencyKey: 'partial' });
    expect(retry.created).toBe(false);
    expect(deps.executions.executions.get(id)?.status).toBe('RUNNING');
  });

  it('does not start a release again once it has run (its execution ended)', async () => {
    const deps = fakes();
    deps.store.seed({ ...releaseBody(), releaseId: 'r-done' }, 'SUCCEEDED');
    const again = await createRelease(deps, { body: body({ releaseId: 'r-done' }) });
    expect(again.created).toBe(false);
    expect(again.release.release.status).toBe('SUCCEEDED');
    expect(deps.executions.faults.count('start')).toBe(0);
  });

  it('accepts a PENDING release whose execution already ended (StartExecution says it exists)', async () => {
    const deps = fakes();
    deps.store.seed({ ...releaseBody(), releaseId: 'r-ended' }, 'PENDING');
    deps.executions.executions.set('r-ended', { status: 'SUCCEEDED', input: '{"releaseId":"r-ended"}' });
    expect((await createRelease(deps, { body: body({ releaseId: 'r-ended' }) })).created).toBe(false);
  });

  it('refuses a template that does not exist with a 400 naming jobTemplateId, and stores nothing', async () => {
    const deps = fakes();
    const missing = createRelease(deps, { body: body({ jobTemplateId: 'fw-nope' }) });
    await expect(missing).rejects.toThrow(ValidationError);
    await expect(missing).rejects.toMatchObject({ details: [{ path: 'jobTemplateId' }] });
    expect(deps.store.releases.size).toBe(0);
    expect(deps.executions.executions.size).toBe(0);
  });

  it('refuses an onFailure.rollback template that does not exist, naming the field, and stores nothing', async () => {
    const deps = fakes();
    const missing = createRelease(deps, {
      body: body({ onFailure: { rollback: { jobTemplateId: 'fw-nope' } } }),
    });
    await expect(missing).rejects.toMatchObject({
      name: 'ValidationError',
      details: [{ path: 'onFailure.rollback.jobTemplateId' }],
    });
    expect(deps.store.releases.size).toBe(0);
  });

  it('refuses rollback waves that name their own targets or do not end at 100, naming each', () => {
    const parsed = createReleaseBodySchema.safeParse(
      releaseBody({
        onFailure: {
          rollback: { jobTemplateId: 'fw-2-0', waves: [{ targets: { things: ['a'] } }, { percentage: 50 }] },
        },
      }),
    );
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'onFailure.rollback.waves.0.targets',
      'onFailure.rollback.waves.1.percentage',
    ]);
  });

  it('passes IoT throttling on the template lookup through as ThrottledError, and stores nothing', async () => {
    const deps = fakes();
    deps.templates.faults.fail('describe', new ThrottledError('IoT is throttling', 3));
    await expect(createRelease(deps, { body: body() })).rejects.toMatchObject({
      name: 'ThrottledError',
      retryAfterSeconds: 3,
    });
    expect(deps.store.releases.size).toBe(0);
  });

  it('passes DynamoDB throttling through as ThrottledError, and starts nothing', async () => {
    const deps = fakes();
    deps.store.faults.fail('createRelease', new ThrottledError('DynamoDB is throttling'));
    await expect(createRelease(deps, { body: body() })).rejects.toThrow(ThrottledError);
    expect(deps.executions.executions.size).toBe(0);
  });

  it('passes a Step Functions outage through as UpstreamError', async () => {
    const deps = fakes();
    deps.executions.faults.fail('start', new UpstreamError('down', 'ServiceUnavailable'));
    await expect(createRelease(deps, { body: body() })).rejects.toThrow(UpstreamError);
  });

  it('refuses a release too large to store (413) before writing anything', async () => {
    const deps = fakes();
    const name = (w: number, i: number) => `thing-${w}-${i}-${'x'.repeat(100)}`;
    const waves = Array.from({ length: 50 }, (_, w) => ({
      targets: { things: Array.from({ length: 100 }, (_, i) => name(w, i)) },
    }));
    const big = body({ targets: undefined, waves });
    await expect(createRelease(deps, { body: big })).rejects.toThrow(PayloadTooLargeError);
    expect(deps.store.releases.size).toBe(0);
    expect(MAX_STORED_RELEASE_BYTES).toBeLessThan(400 * 1024);
  });

  it('gives a request with neither releaseId nor key a new id each time', async () => {
    const deps = fakes();
    const a = await createRelease(deps, { body: body() });
    const b = await createRelease(deps, { body: body() });
    expect(a.release.release.releaseId).not.toBe(b.release.release.releaseId);
    expect(a.release.release.releaseId).toMatch(/^rel-[0-9a-f-]{36}$/);
  });
});

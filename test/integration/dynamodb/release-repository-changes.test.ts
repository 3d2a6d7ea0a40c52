import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '../../../lib/domain/errors.js';
import {
  countingClient,
  counts,
  ManualClock,
  releaseRequest,
  repository,
  uniqueId,
  useRepository,
} from './fixtures.js';

describe('ReleaseRepository: release transitions', () => {
  const clock = new ManualClock();
  const ctx = useRepository(clock);

  async function created(): Promise<string> {
    const id = uniqueId();
    await ctx.repo.createRelease(releaseRequest(id));
    return id;
  }

  it('moves forward, recording the previous status, the reason and the version', async () => {
    const id = await created();
    clock.advance(1000);
    const started = await ctx.repo.transitionRelease(id, {
      to: 'IN_PROGRESS',
      executionArn: 'arn:exec',
      currentWave: 1,
    });
    expect(started).toMatchObject({
      changed: true,
      value: {
        status: 'IN_PROGRESS',
        previousStatus: 'PENDING',
        version: 2,
        executionArn: 'arn:exec',
        currentWave: 1,
      },
    });
    const failed = await ctx.repo.transitionRelease(id, { to: 'FAILED', reason: 'wave 1 failed' });
    expect(failed.value).toMatchObject({
      status: 'FAILED',
      statusReason: 'wave 1 failed',
      version: 3,
      executionArn: 'arn:exec',
    });
    expect((await ctx.repo.getRelease(id)).release).toEqual(failed.value);
  });

  it('refuses a backwards move and a move out of a terminal status', async () => {
    const id = await created();
    await ctx.repo.transitionRelease(id, { to: 'IN_PROGRESS' });
    await ctx.repo.transitionRelease(id, { to: 'SUCCEEDED' });
    await expect(ctx.repo.transitionRelease(id, { to: 'IN_PROGRESS' })).rejects.toThrow(
      `Release ${id} is SUCCEEDED; it cannot move to IN_PROGRESS.`,
    );
    await expect(ctx.repo.transitionRelease(id, { to: 'CANCELED' })).rejects.toBeInstanceOf(ConflictError);
  });

  it('refuses a move when the release is not in one of the given statuses', async () => {
    const id = await created();
    await expect(
      ctx.repo.transitionRelease(id, { to: 'CANCELED', from: ['IN_PROGRESS'] }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('rejects a from list the transition table forbids', async () => {
    const id = await created();
    await expect(
      ctx.repo.transitionRelease(id, { to: 'SUCCEEDED', from: ['PENDING'] }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('treats a retried transition as done, without a second write or event', async () => {
    const id = await created();
    const first = await ctx.repo.transitionRelease(id, { to: 'IN_PROGRESS' });
    const again = await ctx.repo.transitionRelease(id, { to: 'IN_PROGRESS' });
    expect(again).toEqual({ value: first.value, changed: false });
    const types = (await ctx.repo.listHistory(id)).items.map((e) => e.type);
    expect(types).toEqual(['RELEASE_CREATED', 'RELEASE_STATUS_CHANGED']);
  });

  it('lets exactly one of two concurrent, contradicting transitions win', async () => {
    const id = await created();
    await ctx.repo.transitionRelease(id, { to: 'IN_PROGRESS' });
    const results = await Promise.allSettled([
      ctx.repo.transitionRelease(id, { to: 'SUCCEEDED' }),
      ctx.repo.transitionRelease(id, { to: 'CANCELED' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(rejected?.status === 'rejected' && rejected.reason).toBeInstanceOf(ConflictError);
    expect((await ctx.repo.getRelease(id)).release.version).toBe(3);
  });

  it('writes the history event again when a retry finds the change stored without it', async () => {
    const id = await created();
    // The first attempt's event write fails (a reset): the change stands, its answer is no error, the event is missing.
    const failing = {
      send(command: unknown) {
        if (command instanceof PutCommand && command.input.Item?.to === 'IN_PROGRESS') {
          return Promise.reject(Object.assign(new Error('connection reset'), { name: 'TimeoutError' }));
        }
        return (ctx.db.documentClient.send as (c: unknown) => Promise<unknown>)(command);
      },
    } as unknown as typeof ctx.db.documentClient;
    await expect(
      repository(ctx.db, clock, failing).transitionRelease(id, { to: 'IN_PROGRESS' }),
    ).resolves.toMatchObject({ changed: true });
    const retried = await ctx.repo.transitionRelease(id, { to: 'IN_PROGRESS' });
    expect(retried.changed).toBe(false);
    const events = (await ctx.repo.listHistory(id)).items;
    expect(events.map((e) => [e.type, e.from, e.to])).toEqual([
      ['RELEASE_CREATED', undefined, 'PENDING'],
      ['RELEASE_STATUS_CHANGED', 'PENDING', 'IN_PROGRESS'],
    ]);
  });
});

describe('ReleaseRepository: waves and history', () => {
  const clock = new ManualClock();
  const ctx = useRepository(clock);

  async function running(): Promise<string> {
    const id = uniqueId();
    await ctx.repo.createRelease(releaseRequest(id));
    await ctx.repo.transitionRelease(id, { to: 'IN_PROGRESS' });
    await ctx.repo.startWave(id, 1, {
      jobId: `${id}-w01`,
      thingGroupName: `fleetwave-${id}-w01`,
      expectedThings: 100,
    });
    return id;
  }

  it('starts a wave with its job, once; a retry with the same job is a no-op', async () => {
    const id = await running();
    const wave = await ctx.repo.getWave(id, 1);
    expect(wave).toMatchObject({
      status: 'IN_PROGRESS',
      previousStatus: 'PENDING',
      jobId: `${id}-w01`,
      expectedThings: 100,
    });
    const again = await ctx.repo.startWave(id, 1, { jobId: `${id}-w01` });
    expect(again).toEqual({ value: wave, changed: false });
  });

  it('refuses to start a wave again with another job', async () => {
    const id = await running();
    await expect(ctx.repo.startWave(id, 1, { jobId: 'other-job' })).rejects.toBeInstanceOf(ConflictError);
  });

  it('records progress with counts and shares, and writes nothing for a poll that changed nothing', async () => {
    const id = await running();
    const { client, sent } = countingClient(ctx.db.documentClient);
    const counting = repository(ctx.db, clock, client);
    clock.advance(15_000);
    const first = await counting.recordWaveProgress(id, 1, {
      counts: counts({ numberOfSucceededThings: 40, numberOfFailedThings: 2, numberOfQueuedThings: 58 }),
      jobStatus: 'IN_PROGRESS',
    });
    expect(first).toMatchObject({
      changed: true,
      value: {
        succeededPercent: 40,
        failedPercent: 2,
        lastPolledAt: '2026-03-01T10:00:15.000Z',
        jobStatus: 'IN_PROGRESS',
      },
    });
    const writesBefore = sent.filter((name) => name !== 'GetCommand').length;
    clock.advance(30_000);
    const same = await counting.recordWaveProgress(id, 1, {
      counts: counts({ numberOfSucceededThings: 40, numberOfFailedThings: 2, numberOfQueuedThings: 58 }),
      jobStatus: 'IN_PROGRESS',
    });
    expect(same).toEqual({ value: first.value, changed: false });
    expect(sent.filter((name) => name !== 'GetCommand').length).toBe(writesBefore);
  });

  it('ignores an observation older than the stored one', async () => {
    const id = await running();
    await ctx.repo.recordWaveProgress(id, 1, {
      counts: counts({ numberOfSucceededThings: 50 }),
      jobStatus: 'IN_PROGRESS',
      polledAt: '2026-03-01T10:05:00.000Z',
    });
    const stale = await ctx.repo.recordWaveProgress(id, 1, {
      counts: counts({ numberOfSucceededThings: 10 }),
      jobStatus: 'IN_PROGRESS',
      polledAt: '2026-03-01T10:04:00.000Z',
    });
    expect(stale.changed).toBe(false);
    expect(stale.value.counts?.numberOfSucceededThings).toBe(50);
  });

  it('settles concurrent progress updates on the newest observation, each change a history event', async () => {
    const id = await running();
    const base = Date.parse('2026-03-01T11:00:00.000Z');
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        ctx.repo.recordWaveProgress(id, 1, {
          counts: counts({ numberOfSucceededThings: i + 1, numberOfQueuedThings: 99 - i }),
          jobStatus: 'IN_PROGRESS',
          polledAt: base + i * 1000,
        }),
      ),
    );
    const wave = await ctx.repo.getWave(id, 1);
    expect(wave.counts?.numberOfSucceededThings).toBe(8);
    expect(wave.lastPolledAt).toBe('2026-03-01T11:00:07.000Z');
    const written = results.filter((r) => r.changed).length;
    const progress = (await ctx.repo.listHistory(id)).items.filter((e) => e.type === 'WAVE_PROGRESS');
    expect(progress).toHaveLength(written);
    // Stored changes only ever move forward in time.
    const times = progress.map((e) => e.at);
    expect(times).toEqual([...times].sort());
  });

  it('refuses progress on a wave that is not running', async () => {
    const id = uniqueId();
    await ctx.repo.createRelease(releaseRequest(id));
    await expect(
      ctx.repo.recordWaveProgress(id, 2, { counts: counts({}), jobStatus: 'IN_PROGRESS' }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('bakes and finishes a wave, refusing to move it back', async () => {
    const id = await running();
    expect((await ctx.repo.transitionWave(id, 1, 'BAKING')).value.status).toBe('BAKING');
    clock.advance(60_000);
    const done = await ctx.repo.finishWave(id, 1, 'SUCCEEDED');
    expect(done.value).toMatchObject({
      status: 'SUCCEEDED',
      previousStatus: 'BAKING',
      finishedAt: new Date(clock.now()).toISOString(),
    });
    await expect(ctx.repo.transitionWave(id, 1, 'BAKING')).rejects.toBeInstanceOf(ConflictError);
    await expect(ctx.repo.finishWave(id, 1, 'FAILED')).rejects.toBeInstanceOf(ConflictError);
    expect((await ctx.repo.finishWave(id, 1, 'SUCCEEDED')).changed).toBe(false);
  });

  it('writes the history in the order things happened, only on change, and pages through it', async () => {
    const id = uniqueId();
    await ctx.repo.createRelease(releaseRequest(id));
    clock.advance(1000);
    await ctx.repo.transitionRelease(id, { to: 'IN_PROGRESS' });
    await ctx.repo.startWave(id, 1, { jobId: `${id}-w01` });
    for (const succeeded of [0, 5, 5, 10, 10]) {
      clock.advance(15_000);
      await ctx.repo.recordWaveProgress(id, 1, {
        counts: counts({ numberOfSucceededThings: succeeded, numberOfQueuedThings: 10 - succeeded }),
        jobStatus: succeeded === 10 ? 'COMPLETED' : 'IN_PROGRESS',
      });
    }
    await ctx.repo.finishWave(id, 1, 'FAILED', { reason: 'below threshold' });
    await ctx.repo.markRemainingWavesCanceled(id, { reason: 'release failed' });
    await ctx.repo.transitionRelease(id, { to: 'FAILED', reason: 'wave 1 failed' });

    const all = (await ctx.repo.listHistory(id)).items;
    expect(all.map((e) => [e.type, e.waveNumber, e.to ?? e.counts?.numberOfSucceededThings])).toEqual([
      ['RELEASE_CREATED', undefined, 'PENDING'],
      ['RELEASE_STATUS_CHANGED', undefined, 'IN_PROGRESS'],
      ['WAVE_STATUS_CHANGED', 1, 'IN_PROGRESS'],
      ['WAVE_PROGRESS', 1, 0],
      ['WAVE_PROGRESS', 1, 5],
      ['WAVE_PROGRESS', 1, 10],
      ['WAVE_STATUS_CHANGED', 1, 'FAILED'],
      ['WAVE_STATUS_CHANGED', 2, 'CANCELED'],
      ['WAVE_STATUS_CHANGED', 3, 'CANCELED'],
      ['RELEASE_STATUS_CHANGED', undefined, 'FAILED'],
    ]);
    expect(all[6]).toMatchObject({ from: 'IN_PROGRESS', reason: 'below threshold', jobId: `${id}-w01` });

    const pages: string[][] = [];
    let nextToken: string | undefined;
    do {
      const page = await ctx.repo.listHistory(id, { limit: 4, ...(nextToken && { nextToken }) });
      pages.push(page.items.map((e) => e.seq));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(pages.map((p) => p.length)).toEqual([4, 4, 2]);
    expect(pages.flat()).toEqual(all.map((e) => e.seq));
  });

  it('refuses to store what it could not read back', async () => {
    const id = uniqueId();
    await ctx.repo.createRelease(releaseRequest(id));
    await expect(ctx.repo.startWave(id, 1, { jobId: 'j', expectedThings: -1 })).rejects.toMatchObject({
      name: 'ValidationError',
      details: [{ path: 'expectedThings', message: expect.any(String) }],
    });
    await expect(
      ctx.repo.transitionRelease(id, { to: 'IN_PROGRESS', currentWave: 0 }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(ctx.repo.getWave(id, 51)).rejects.toMatchObject({
      name: 'ValidationError',
      details: [{ path: 'waveNumber', message: 'must be an integer from 1 to 50' }],
    });
    expect((await ctx.repo.getRelease(id)).release.status).toBe('PENDING');
  });

  it('rejects a history token from elsewhere, or altered, before it reaches DynamoDB', async () => {
    const id = await running();
    await expect(
      ctx.repo.listHistory(id, { nextToken: 'eyJhZnRlciI6IlJFTEVBU0UifQ' }),
    ).rejects.toBeInstanceOf(ValidationError);
    const forged = (after: string) => Buffer.from(JSON.stringify({ after })).toString('base64url');
    // A sort key past DynamoDB's 1,024-byte limit, and one of the right prefix but another shape.
    for (const after of [`EVENT#${'9'.repeat(2000)}`, 'EVENT#2026-03-01T10:00:00.000Z#x']) {
      await expect(ctx.repo.listHistory(id, { nextToken: forged(after) })).rejects.toMatchObject({
        name: 'ValidationError',
        details: [{ path: 'nextToken', message: 'is not a token this API issued' }],
      });
    }
  });
});

import { describe, expect, it } from 'vitest';
import { ManualClock, releaseRequest, uniqueId, useRepository } from './fixtures.js';

describe('ReleaseRepository: task tokens and canceling remaining waves', () => {
  const clock = new ManualClock();
  const ctx = useRepository(clock);

  /** A release whose first wave succeeded and now waits for approval. */
  async function awaitingApproval(token = 'token-1'): Promise<string> {
    const id = uniqueId();
    await ctx.repo.createRelease(releaseRequest(id));
    await ctx.repo.transitionRelease(id, { to: 'IN_PROGRESS' });
    await ctx.repo.startWave(id, 1, { jobId: `${id}-w01` });
    await ctx.repo.finishWave(id, 1, 'SUCCEEDED');
    await ctx.repo.storeTaskToken(id, 1, { token, purpose: 'APPROVAL' });
    return id;
  }

  it('shows who waits and since when, never the token itself', async () => {
    const id = await awaitingApproval('secret-token');
    const wave = await ctx.repo.getWave(id, 1);
    expect(wave).toMatchObject({ waitingFor: 'APPROVAL', waitingSince: '2026-03-01T10:00:00.000Z' });
    expect(JSON.stringify(await ctx.repo.getRelease(id))).not.toContain('secret-token');
  });

  it('hands the token to exactly one taker', async () => {
    const id = await awaitingApproval();
    expect(await ctx.repo.takeTaskToken(id, 1)).toEqual({
      token: 'token-1',
      purpose: 'APPROVAL',
      storedAt: '2026-03-01T10:00:00.000Z',
    });
    expect(await ctx.repo.takeTaskToken(id, 1)).toBeUndefined();
    expect((await ctx.repo.getWave(id, 1)).waitingFor).toBeUndefined();
  });

  it('hands the token to one of ten concurrent takers', async () => {
    const id = await awaitingApproval();
    const taken = await Promise.all(
      Array.from({ length: 10 }, () => ctx.repo.takeTaskToken(id, 1, 'APPROVAL')),
    );
    expect(taken.filter((t) => t !== undefined).map((t) => t?.token)).toEqual(['token-1']);
  });

  it('keeps the token from a taker that asks for another purpose', async () => {
    const id = await awaitingApproval();
    expect(await ctx.repo.takeTaskToken(id, 1, 'WAIT')).toBeUndefined();
    expect((await ctx.repo.takeTaskToken(id, 1, 'APPROVAL'))?.token).toBe('token-1');
  });

  it('replaces the token of an earlier task attempt', async () => {
    const id = await awaitingApproval('first-attempt');
    await ctx.repo.storeTaskToken(id, 1, { token: 'second-attempt', purpose: 'APPROVAL' });
    expect((await ctx.repo.takeTaskToken(id, 1))?.token).toBe('second-attempt');
  });

  it('drops the token of a wave that finishes', async () => {
    const id = uniqueId();
    await ctx.repo.createRelease(releaseRequest(id));
    await ctx.repo.startWave(id, 1, { jobId: `${id}-w01` });
    await ctx.repo.storeTaskToken(id, 1, { token: 'wake-me', purpose: 'WAIT' });
    await ctx.repo.finishWave(id, 1, 'TIMED_OUT', { reason: 'no progress' });
    expect(await ctx.repo.takeTaskToken(id, 1)).toBeUndefined();
  });

  it('stores a token on a wave that has not started, which can still start', async () => {
    const id = uniqueId();
    await ctx.repo.createRelease(releaseRequest(id));
    await ctx.repo.storeTaskToken(id, 2, { token: 'gate', purpose: 'APPROVAL' });
    expect((await ctx.repo.getWave(id, 2)).status).toBe('PENDING');
    expect((await ctx.repo.startWave(id, 2, { jobId: `${id}-w02` })).changed).toBe(true);
    expect((await ctx.repo.takeTaskToken(id, 2))?.token).toBe('gate');
  });

  it('cancels the waves that never started, and only those', async () => {
    const id = uniqueId();
    await ctx.repo.createRelease(releaseRequest(id));
    await ctx.repo.startWave(id, 1, { jobId: `${id}-w01` });
    expect(await ctx.repo.markRemainingWavesCanceled(id, { reason: 'release canceled' })).toEqual([2, 3]);
    const { waves } = await ctx.repo.getRelease(id);
    expect(waves.map((w) => [w.status, w.reason])).toEqual([
      ['IN_PROGRESS', undefined],
      ['CANCELED', 'release canceled'],
      ['CANCELED', 'release canceled'],
    ]);
    expect(await ctx.repo.markRemainingWavesCanceled(id)).toEqual([]);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../../lib/domain/errors.js';
import { ManualClock, releaseRequest, uniqueId, useRepository } from './fixtures.js';

describe('ReleaseRepository: creating and reading releases', () => {
  const clock = new ManualClock();
  const ctx = useRepository(clock);

  it('creates a PENDING release at version 1 with every wave PENDING', async () => {
    const id = uniqueId();
    const { value, changed } = await ctx.repo.createRelease(releaseRequest(id));
    expect(changed).toBe(true);
    expect(value).toMatchObject({
      releaseId: id,
      status: 'PENDING',
      version: 1,
      createdAt: '2026-03-01T10:00:00.000Z',
    });
    const { release, waves } = await ctx.repo.getRelease(id);
    expect(release).toEqual(value);
    expect(waves.map((w) => [w.waveNumber, w.status, w.version])).toEqual([
      [1, 'PENDING', 0],
      [2, 'PENDING', 0],
      [3, 'PENDING', 0],
    ]);
  });

  it('returns the stored release when the same request is created again', async () => {
    const id = uniqueId();
    const first = await ctx.repo.createRelease(releaseRequest(id));
    clock.advance(5_000);
    const again = await ctx.repo.createRelease(releaseRequest(id));
    expect(again).toEqual({ value: first.value, changed: false });
  });

  it('refuses the same id with a different request', async () => {
    const id = uniqueId();
    await ctx.repo.createRelease(releaseRequest(id));
    const other = releaseRequest(id, { jobTemplateId: 'firmware-2-4-2' });
    await expect(ctx.repo.createRelease(other)).rejects.toBeInstanceOf(ConflictError);
  });

  it('creates exactly one release when 20 callers create the same id at once', async () => {
    const id = uniqueId();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => ctx.repo.createRelease(releaseRequest(id))),
    );
    expect(results.filter((r) => r.changed)).toHaveLength(1);
    expect(new Set(results.map((r) => JSON.stringify(r.value))).size).toBe(1);
    const history = await ctx.repo.listHistory(id);
    expect(history.items.map((e) => e.type)).toEqual(['RELEASE_CREATED']);
  });

  it('stores a retry with its source, links its first event to it, and refuses the id from another source', async () => {
    const id = uniqueId();
    const derivation = (source: string) => ({
      retryOf: source,
      targetSet: {
        sourceReleaseId: source,
        statuses: ['FAILED', 'TIMED_OUT', 'REJECTED'],
        thingGroupName: `fleetwave-${id}-targets`,
      },
    });
    const first = await ctx.repo.createRelease(releaseRequest(id), 'local', derivation('orig-1'));
    expect(first.value).toMatchObject({ retryOf: 'orig-1', targetSet: { sourceReleaseId: 'orig-1' } });
    const again = await ctx.repo.createRelease(releaseRequest(id), 'local', derivation('orig-1'));
    expect(again).toEqual({ value: first.value, changed: false });
    await expect(
      ctx.repo.createRelease(releaseRequest(id), 'local', derivation('orig-2')),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(ctx.repo.createRelease(releaseRequest(id))).rejects.toBeInstanceOf(ConflictError);
    const history = await ctx.repo.listHistory(id);
    expect(history.items).toMatchObject([{ type: 'RELEASE_CREATED', relatedReleaseId: 'orig-1' }]);
    expect((await ctx.repo.getRelease(id)).release.retryOf).toBe('orig-1');
  });

  it('links an original to its retry once, however often the link is written, paging past it', async () => {
    const original = uniqueId();
    const retry = uniqueId();
    await ctx.repo.createRelease(releaseRequest(original));
    clock.advance(60_000);
    const link = {
      relatedReleaseId: retry,
      reason: `Retried as release ${retry}`,
      actor: 'local',
      at: new Date(clock.now()).toISOString(),
    };
    expect(await ctx.repo.linkRelease(original, link)).toBe(true);
    clock.advance(5_000);
    const again = await Promise.all([
      ctx.repo.linkRelease(original, link),
      ctx.repo.linkRelease(original, link),
    ]);
    expect(again).toEqual([false, false]);
    const history = await ctx.repo.listHistory(original);
    expect(history.items.map((e) => e.type)).toEqual(['RELEASE_CREATED', 'RELEASE_LINKED']);
    expect(history.items[1]).toMatchObject({ ...link, type: 'RELEASE_LINKED', releaseId: original });
    // The link's key is one a page token may name.
    const first = await ctx.repo.listHistory(original, { limit: 1 });
    const rest = await ctx.repo.listHistory(original, { limit: 1, nextToken: first.nextToken });
    expect(rest.items.map((e) => e.type)).toEqual(['RELEASE_LINKED']);
  });

  it('still reads and lists a release whose id is longer than new ones may be (59, from before the limit was 56)', async () => {
    const short = uniqueId('legacy');
    const id = `${short}-${'x'.repeat(59 - short.length - 1)}`;
    expect(id).toHaveLength(59);
    // Stored as it was before the limit was lowered: the request validated then.
    await ctx.repo.createRelease({ ...releaseRequest(short), releaseId: id });
    expect((await ctx.repo.getRelease(id)).release.releaseId).toBe(id);
    const page = await ctx.repo.listReleases({ limit: 1 });
    expect(page.items[0]?.releaseId).toBe(id);
    const next = await ctx.repo.listReleases({ limit: 1, nextToken: page.nextToken });
    expect(next.items[0]?.releaseId).not.toBe(id);
  });

  it('reports an unknown release as not found', async () => {
    await expect(ctx.repo.getRelease('no-such-release')).rejects.toBeInstanceOf(NotFoundError);
    await expect(ctx.repo.listHistory('no-such-release')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('ReleaseRepository: listing releases', () => {
  const clock = new ManualClock(Date.parse('2026-04-01T00:00:00.000Z'));
  const ctx = useRepository(clock);
  const ids: string[] = [];

  beforeAll(async () => {
    // Seven releases a minute apart; every other one moves on to IN_PROGRESS.
    for (let i = 0; i < 7; i++) {
      const id = `list-${i}`;
      ids.push(id);
      await ctx.repo.createRelease(releaseRequest(id));
      if (i % 2 === 0) await ctx.repo.transitionRelease(id, { to: 'IN_PROGRESS' });
      clock.advance(60_000);
    }
  });

  it('lists every release newest first, whatever its status', async () => {
    const page = await ctx.repo.listReleases();
    expect(page.items.map((r) => r.releaseId)).toEqual([...ids].reverse());
    expect(page.nextToken).toBeUndefined();
  });

  it('pages through all releases with limit and nextToken, none twice, none missed', async () => {
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await ctx.repo.listReleases({ limit: 3, ...(nextToken && { nextToken }) });
      seen.push(...page.items.map((r) => r.releaseId));
      nextToken = page.nextToken;
      pages += 1;
    } while (nextToken);
    expect(seen).toEqual([...ids].reverse());
    expect(pages).toBe(3);
  });

  it('filters by status, newest first, and pages within the filter', async () => {
    const first = await ctx.repo.listReleases({ status: 'IN_PROGRESS', limit: 3 });
    expect(first.items.map((r) => r.releaseId)).toEqual(['list-6', 'list-4', 'list-2']);
    const second = await ctx.repo.listReleases({
      status: 'IN_PROGRESS',
      limit: 3,
      nextToken: first.nextToken,
    });
    expect(second.items.map((r) => r.releaseId)).toEqual(['list-0']);
    expect(second.nextToken).toBeUndefined();
    const pending = await ctx.repo.listReleases({ status: 'PENDING' });
    expect(pending.items.map((r) => r.releaseId)).toEqual(['list-5', 'list-3', 'list-1']);
  });

  it('ends on an exactly full page without an empty page after it', async () => {
    const page = await ctx.repo.listReleases({ status: 'PENDING', limit: 3 });
    expect(page.items).toHaveLength(3);
    expect(page.nextToken).toBeUndefined();
  });

  it('rejects a bad limit, a forged token and a token from another filter', async () => {
    await expect(ctx.repo.listReleases({ limit: 0 })).rejects.toBeInstanceOf(ValidationError);
    await expect(ctx.repo.listReleases({ limit: 101 })).rejects.toBeInstanceOf(ValidationError);
    await expect(ctx.repo.listReleases({ nextToken: 'not-a-token' })).rejects.toBeInstanceOf(ValidationError);
    // Altered tokens: a key past DynamoDB's 1,024-byte range key limit, another shape, an extra member.
    const forged = (cursor: object) => Buffer.from(JSON.stringify(cursor)).toString('base64url');
    for (const cursor of [
      { after: `2026-03-01T10:00:00.000Z#${'x'.repeat(2000)}` },
      { after: 'RELEASE' },
      { after: '2026-03-01T10:00:00.000Z#list-1', status: 'IN_PROGRESS', extra: 1 },
    ]) {
      await expect(
        ctx.repo.listReleases({ nextToken: forged(cursor) }),
        JSON.stringify(cursor),
      ).rejects.toMatchObject({
        name: 'ValidationError',
        details: [{ path: 'nextToken', message: 'is not a token this API issued' }],
      });
    }
    const { nextToken } = await ctx.repo.listReleases({ status: 'IN_PROGRESS', limit: 1 });
    await expect(
      ctx.repo.listReleases({ status: 'PENDING', ...(nextToken && { nextToken }) }),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      details: [{ path: 'nextToken', message: 'was issued for another status filter' }],
    });
  });
});

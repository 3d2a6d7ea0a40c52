/**
 * A writer that stops between a record and its history event (a killed
 * process, a Lambda timing out, a throttled second write) must not leave a
 * hole in the history. Each case below stops a writer there, by failing the
 * one event put it would have made next, and checks that the history is
 * complete and ordered afterwards, without a duplicated step.
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../../lib/domain/release.js';
import { counts, ManualClock, releaseRequest, repository, uniqueId, useRepository } from './fixtures.js';

type Step = [type: string, wave: number | undefined, from: string | undefined, to: string | undefined];

const steps = (events: readonly HistoryEvent[]): Step[] =>
  events.filter((e) => e.type !== 'WAVE_PROGRESS').map((e) => [e.type, e.waveNumber, e.from, e.to]);

describe('ReleaseRepository: history a stopped writer left incomplete', () => {
  const clock = new ManualClock();
  const ctx = useRepository(clock);

  /** A repository whose next event put matching `lost` fails, as if its writer stopped there. */
  function stoppingBefore(lost: (event: Record<string, unknown>) => boolean) {
    const client = {
      send(command: unknown) {
        const item = command instanceof PutCommand ? command.input.Item : undefined;
        if (item && String(item.sk).startsWith('EVENT#') && lost(item)) {
          return Promise.reject(Object.assign(new Error('process killed'), { name: 'TimeoutError' }));
        }
        return (ctx.db.documentClient.send as (c: unknown) => Promise<unknown>)(command);
      },
    } as unknown as typeof ctx.db.documentClient;
    return repository(ctx.db, clock, client);
  }

  async function runningWave(): Promise<string> {
    const id = uniqueId();
    await ctx.repo.createRelease(releaseRequest(id));
    clock.advance(1000);
    await ctx.repo.transitionRelease(id, { to: 'IN_PROGRESS' });
    clock.advance(1000);
    await ctx.repo.startWave(id, 1, { jobId: `${id}-w01`, expectedThings: 10 });
    return id;
  }

  const history = async (id: string) => (await ctx.repo.listHistory(id)).items;

  it('repairHistory writes the wave event lost before the next wave started, in its place', async () => {
    const id = await runningWave();
    clock.advance(1000);
    await expect(
      stoppingBefore((e) => e.to === 'SUCCEEDED').finishWave(id, 1, 'SUCCEEDED'),
    ).resolves.toMatchObject({ changed: true });
    clock.advance(1000);
    await ctx.repo.startWave(id, 2, { jobId: `${id}-w02`, expectedThings: 10 });
    expect(steps(await history(id))).not.toContainEqual([
      'WAVE_STATUS_CHANGED',
      1,
      'IN_PROGRESS',
      'SUCCEEDED',
    ]);

    expect(await ctx.repo.repairHistory(id)).toBe(1);
    expect(await ctx.repo.repairHistory(id)).toBe(0);
    expect(steps(await history(id))).toEqual([
      ['RELEASE_CREATED', undefined, undefined, 'PENDING'],
      ['RELEASE_STATUS_CHANGED', undefined, 'PENDING', 'IN_PROGRESS'],
      ['WAVE_STATUS_CHANGED', 1, 'PENDING', 'IN_PROGRESS'],
      ['WAVE_STATUS_CHANGED', 1, 'IN_PROGRESS', 'SUCCEEDED'],
      ['WAVE_STATUS_CHANGED', 2, 'PENDING', 'IN_PROGRESS'],
    ]);
  });

  it("the item's next status change writes the lost event of the status it leaves first", async () => {
    const id = await runningWave();
    clock.advance(1000);
    await expect(
      stoppingBefore((e) => e.to === 'BAKING').transitionWave(id, 1, 'BAKING'),
    ).resolves.toMatchObject({ changed: true });
    clock.advance(1000);
    await ctx.repo.finishWave(id, 1, 'SUCCEEDED');
    expect(steps(await history(id)).filter(([, wave]) => wave === 1)).toEqual([
      ['WAVE_STATUS_CHANGED', 1, 'PENDING', 'IN_PROGRESS'],
      ['WAVE_STATUS_CHANGED', 1, 'IN_PROGRESS', 'BAKING'],
      ['WAVE_STATUS_CHANGED', 1, 'BAKING', 'SUCCEEDED'],
    ]);
  });

  it('a lost progress event is written before the next progress replaces it', async () => {
    const id = await runningWave();
    clock.advance(1000);
    const first = {
      counts: counts({ numberOfSucceededThings: 3, numberOfQueuedThings: 7 }),
      jobStatus: 'IN_PROGRESS',
    };
    await expect(
      stoppingBefore((e) => e.type === 'WAVE_PROGRESS').recordWaveProgress(id, 1, first),
    ).resolves.toMatchObject({ changed: true });
    clock.advance(1000);
    await ctx.repo.recordWaveProgress(id, 1, {
      counts: counts({ numberOfSucceededThings: 9, numberOfQueuedThings: 1 }),
      jobStatus: 'IN_PROGRESS',
    });
    const progress = (await history(id)).filter((e) => e.type === 'WAVE_PROGRESS');
    expect(progress.map((e) => e.counts?.numberOfSucceededThings)).toEqual([3, 9]);
  });

  it('a release ending repairs every event its records still hold', async () => {
    const id = await runningWave();
    clock.advance(1000);
    await expect(
      stoppingBefore((e) => e.to === 'SUCCEEDED').finishWave(id, 1, 'SUCCEEDED'),
    ).resolves.toMatchObject({ changed: true });
    clock.advance(1000);
    await ctx.repo.transitionRelease(id, { to: 'SUCCEEDED' });
    expect(steps(await history(id)).slice(-2)).toEqual([
      ['WAVE_STATUS_CHANGED', 1, 'IN_PROGRESS', 'SUCCEEDED'],
      ['RELEASE_STATUS_CHANGED', undefined, 'IN_PROGRESS', 'SUCCEEDED'],
    ]);
  });

  it('a retried release move after the current wave moved on writes no second event', async () => {
    const id = await runningWave();
    clock.advance(5000);
    // currentWave follows wave 2: the release's updatedAt moves, its last status change does not.
    await ctx.repo.startWave(id, 2, { jobId: `${id}-w02`, expectedThings: 10 });
    const retried = await ctx.repo.transitionRelease(id, { to: 'IN_PROGRESS', from: ['PENDING'] });
    expect(retried.changed).toBe(false);
    expect(await ctx.repo.repairHistory(id)).toBe(0);
    const moves = steps(await history(id)).filter(([type]) => type === 'RELEASE_STATUS_CHANGED');
    expect(moves).toEqual([['RELEASE_STATUS_CHANGED', undefined, 'PENDING', 'IN_PROGRESS']]);
  });

  it('a repaired event names the same actor as the lost one: the actor is derived from the item', async () => {
    const arn = 'arn:aws:iam::123456789012:user/alice';
    const id = uniqueId();
    await ctx.repo.createRelease(releaseRequest(id), arn);
    clock.advance(1000);
    await ctx.repo.transitionRelease(id, { to: 'IN_PROGRESS' });
    clock.advance(1000);
    await ctx.repo.startWave(id, 1, { jobId: `${id}-w01`, expectedThings: 10 });
    clock.advance(1000);
    // A cancel whose writer stopped after each record, before its event.
    const stopping = stoppingBefore((e) => e.to === 'CANCELED');
    await expect(
      stopping.finishWave(id, 1, 'CANCELED', { actor: arn, reason: 'Canceled' }),
    ).resolves.toMatchObject({ changed: true });
    await expect(
      stopping.transitionRelease(id, { to: 'CANCELED', actor: arn, reason: 'Canceled' }),
    ).resolves.toMatchObject({ changed: true });
    expect((await history(id)).filter((e) => e.to === 'CANCELED')).toEqual([]);

    expect(await ctx.repo.repairHistory(id)).toBe(2);
    const actors = (await history(id)).map((e) => [e.type, e.to, e.actor]);
    expect(actors).toEqual([
      ['RELEASE_CREATED', 'PENDING', arn],
      ['RELEASE_STATUS_CHANGED', 'IN_PROGRESS', 'fleetwave'],
      ['WAVE_STATUS_CHANGED', 'IN_PROGRESS', 'fleetwave'],
      ['WAVE_STATUS_CHANGED', 'CANCELED', arn],
      ['RELEASE_STATUS_CHANGED', 'CANCELED', arn],
    ]);
    // The creator stays on the release whoever moves it later.
    const { release, waves } = await ctx.repo.getRelease(id);
    expect(release).toMatchObject({ createdBy: arn, statusActor: arn });
    expect(waves[0]).toMatchObject({ status: 'CANCELED', statusActor: arn });
  });

  it('a release item written before its last event time was kept never gets a guessed event, so none is repeated', async () => {
    const id = await runningWave();
    // As an older version stored it: no statusEventAt.
    await ctx.db.documentClient.send(
      new UpdateCommand({
        TableName: ctx.db.tableName,
        Key: { pk: `RELEASE#${id}`, sk: 'RELEASE' },
        UpdateExpression: 'REMOVE statusEventAt',
      }),
    );
    clock.advance(5000);
    // currentWave follows wave 2 (updatedAt moves), then the release ends.
    await ctx.repo.startWave(id, 2, { jobId: `${id}-w02`, expectedThings: 10 });
    await ctx.repo.transitionRelease(id, { to: 'SUCCEEDED' });
    expect(await ctx.repo.repairHistory(id)).toBe(0);
    const moves = steps(await history(id)).filter(([type]) => type !== 'WAVE_STATUS_CHANGED');
    expect(moves).toEqual([
      ['RELEASE_CREATED', undefined, undefined, 'PENDING'],
      ['RELEASE_STATUS_CHANGED', undefined, 'PENDING', 'IN_PROGRESS'],
      ['RELEASE_STATUS_CHANGED', undefined, 'IN_PROGRESS', 'SUCCEEDED'],
    ]);
  });
});

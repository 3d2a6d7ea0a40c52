/**
 * What a restart with `--data-dir` tells about each release it resumes:
 * reconcileReleases reads the releases and waves DynamoDB kept and says
 * where StartRelease sends each one (a wave, the rest of a bake, the
 * approval gate, the end), which the start banner prints.
 */
import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { ReleaseRepository } from '../../../lib/adapters/release-repository.js';
import { targetSetGroupName } from '../../../lib/domain/cohorts.js';
import { reconcileReleases } from '../../../local/resume/reconcile.js';
import { reconciledWhat, resumedWhere } from '../../../local/start/banner.js';
import { ManualClock, releaseRequest, uniqueId, useRepository } from '../dynamodb/fixtures.js';

/** Step Functions with no execution at all (the emulator lost them with the process); records what starts. */
function emptyStepFunctions(): { sfn: SFNClient; started: string[] } {
  const started: string[] = [];
  const sfn = {
    async send(command: unknown) {
      if (command instanceof DescribeExecutionCommand) {
        throw new ExecutionDoesNotExist({ message: 'Execution does not exist', $metadata: {} });
      }
      if (command instanceof StartExecutionCommand) {
        started.push(command.input.name ?? '');
        return { executionArn: `arn:${command.input.name}`, startDate: new Date() };
      }
      throw new Error('unexpected command');
    },
  } as unknown as SFNClient;
  return { sfn, started };
}

async function underWay(repo: ReleaseRepository, releaseId: string): Promise<void> {
  await repo.createRelease(releaseRequest(releaseId));
  await repo.transitionRelease(releaseId, { to: 'IN_PROGRESS', currentWave: 1 });
}

async function succeed(repo: ReleaseRepository, releaseId: string, waveNumber: number): Promise<void> {
  await repo.startWave(releaseId, waveNumber, { jobId: `${releaseId}-w0${waveNumber}` });
  await repo.finishWave(releaseId, waveNumber, 'SUCCEEDED');
}

describe('reconcileReleases after a restart', () => {
  const clock = new ManualClock();
  const store = useRepository(clock);

  it('says where each resumed release picks up: a wave, the rest of a bake, the approval gate, or the end', async () => {
    const { repo, db } = store;
    const ids = {
      pending: uniqueId('pending'),
      running: uniqueId('running'),
      baking: uniqueId('baking'),
      gate: uniqueId('gate'),
      done: uniqueId('done'),
    };
    await repo.createRelease(releaseRequest(ids.pending));

    await underWay(repo, ids.running);
    await succeed(repo, ids.running, 1);
    await repo.startWave(ids.running, 2, { jobId: `${ids.running}-w02` });

    await underWay(repo, ids.baking);
    await repo.startWave(ids.baking, 1, { jobId: `${ids.baking}-w01` });
    await repo.transitionWave(ids.baking, 1, 'BAKING');

    await underWay(repo, ids.gate);
    await succeed(repo, ids.gate, 1);
    await succeed(repo, ids.gate, 2);
    await repo.transitionRelease(ids.gate, { to: 'WAITING_APPROVAL', currentWave: 2 });

    await underWay(repo, ids.done);
    for (const wave of [1, 2, 3]) await succeed(repo, ids.done, wave);

    const { sfn, started } = emptyStepFunctions();
    const { releases: results } = await reconcileReleases({
      dynamodb: db.client,
      sfn,
      tableName: db.tableName,
      stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:release',
    });
    const said = Object.fromEntries(
      results.map((r) => [r.releaseId, r.resumesAt && resumedWhere(r.resumesAt)]),
    );
    expect(said).toEqual({
      [ids.pending]: 'starts wave 1',
      [ids.running]: 'wave 2 goes on with its job',
      [ids.baking]: 'wave 1 bakes for the rest of its bake time, then is checked',
      [ids.gate]: 'waits again for approval after wave 2',
      [ids.done]: 'every wave succeeded; the release finishes',
    });
    expect(results.every((r) => r.outcome === 'resumed')).toBe(true);
    expect(started.sort()).toEqual(Object.values(ids).sort());
  });

  it('sends a retry whose target set is not complete back to its gather, and one recorded complete to wave 1', async () => {
    const { repo, db } = store;
    const ids = { gathering: uniqueId('gathering'), gathered: uniqueId('gathered') };
    for (const releaseId of Object.values(ids)) {
      const thingGroupName = targetSetGroupName(releaseId);
      await repo.createRelease(
        releaseRequest(releaseId, {
          targets: { thingGroups: [thingGroupName] },
          waves: [{ targets: { thingGroups: [thingGroupName] } }],
        }),
        'local',
        {
          retryOf: 'source',
          targetSet: { sourceReleaseId: 'source', statuses: ['FAILED'], thingGroupName },
        },
      );
      await repo.transitionRelease(releaseId, { to: 'IN_PROGRESS', currentWave: 1 });
    }
    const recorded = await repo.recordTargetSetGathered(ids.gathered, { things: 7 });
    expect(recorded.changed).toBe(true);
    expect(recorded.value.targetSet).toMatchObject({
      things: 7,
      gatheredAt: new Date(clock.now()).toISOString(),
    });
    // A second record (a concurrent gather) keeps the first.
    const again = await repo.recordTargetSetGathered(ids.gathered, { things: 9 });
    expect(again).toMatchObject({ changed: false, value: { targetSet: { things: 7 } } });

    const { sfn } = emptyStepFunctions();
    const { releases } = await reconcileReleases({
      dynamodb: db.client,
      sfn,
      tableName: db.tableName,
      stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:release',
    });
    const said = Object.fromEntries(
      releases
        .filter((r) => r.releaseId === ids.gathering || r.releaseId === ids.gathered)
        .map((r) => [r.releaseId, r.resumesAt && resumedWhere(r.resumesAt)]),
    );
    expect(said).toEqual({
      [ids.gathering]: 'gathers its target set into its thing group again, then starts wave 1',
      [ids.gathered]: 'starts wave 1',
    });
  });

  const reconcile = (sfn: SFNClient) =>
    reconcileReleases({
      dynamodb: store.db.client,
      sfn,
      tableName: store.db.tableName,
      stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:release',
    });

  it('writes again the history events a stopped writer left out, before anything resumes', async () => {
    const { repo, db } = store;
    const id = uniqueId('lost-event');
    await underWay(repo, id);
    const { value: started } = await repo.startWave(id, 1, { jobId: `${id}-w01` });
    const endedAt = new Date(Date.parse(started.startedAt ?? '') + 60_000).toISOString();
    // Wave 1 recorded SUCCEEDED, and the stop came before its history event.
    await db.documentClient.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: { pk: `RELEASE#${id}`, sk: 'WAVE#01' },
        UpdateExpression:
          'SET #s = :s, previousStatus = :p, statusChangedAt = :at, statusEventSeq = :seq, version = version + :one',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':s': 'SUCCEEDED',
          ':p': 'IN_PROGRESS',
          ':seq': '00000000000000000001-W01-000002',
          ':one': 1,
          ':at': endedAt,
        },
      }),
    );
    const { historyEventsRepaired } = await reconcile(emptyStepFunctions().sfn);
    expect(historyEventsRepaired).toBeGreaterThanOrEqual(1);
    const waveSteps = (await repo.listHistory(id)).items
      .filter((e) => e.type === 'WAVE_STATUS_CHANGED')
      .map((e) => `${e.from}→${e.to}`);
    expect(waveSteps).toEqual(['PENDING→IN_PROGRESS', 'IN_PROGRESS→SUCCEEDED']);
  });

  it('resumes the cleanup of a release canceled while a wave ran, and leaves a finished cancel alone', async () => {
    const { repo } = store;
    const cutShort = uniqueId('cut-short');
    await underWay(repo, cutShort);
    await repo.startWave(cutShort, 1, { jobId: `${cutShort}-w01` });
    await repo.transitionRelease(cutShort, { to: 'CANCELED', reason: 'Canceled' });
    const done = uniqueId('cancel-done');
    await underWay(repo, done);
    await repo.startWave(done, 1, { jobId: `${done}-w01` });
    await repo.transitionRelease(done, { to: 'CANCELED', reason: 'Canceled' });
    await repo.finishWave(done, 1, 'CANCELED');

    const { sfn, started } = emptyStepFunctions();
    const { releases } = await reconcile(sfn);
    expect(releases.find((r) => r.releaseId === cutShort)).toMatchObject({
      outcome: 'cleanup',
      status: 'CANCELED',
    });
    expect(releases.find((r) => r.releaseId === done)).toBeUndefined();
    expect(started).toContain(cutShort);
    expect(started).not.toContain(done);
  });

  it('starts a SCHEDULED release again, to wait for its start time, and says so', async () => {
    const { repo } = store;
    const scheduled = uniqueId('scheduled');
    await repo.createRelease(releaseRequest(scheduled));
    await repo.transitionRelease(scheduled, { to: 'SCHEDULED', reason: 'Scheduled to start later.' });

    const { sfn, started } = emptyStepFunctions();
    const { releases } = await reconcile(sfn);
    const found = releases.find((r) => r.releaseId === scheduled);
    expect(found).toEqual({ releaseId: scheduled, status: 'SCHEDULED', outcome: 'resumed' });
    expect(started).toContain(scheduled);
    expect(found && reconciledWhat(found)).toBe('resumed: waits for its start time again');
  });
});

/**
 * GatherTargets with in-memory fakes: a retry's and a rollback's group holds
 * exactly the set's things (two waves, a follow-up job, CANCELED and REMOVED
 * executions), however many invocations it takes; a failure after progress
 * keeps it; a paced call waits from the progress; an empty set ends the
 * release; a source job that is gone fails it naming the job.
 */
import { describe, expect, it } from 'vitest';
import { targetSetGroupName } from '../../../lib/domain/cohorts.js';
import { ConflictError, NotFoundError, PacedError, ThrottledError } from '../../../lib/domain/errors.js';
import { parseReleaseRequest } from '../../../lib/domain/release-request.js';
import { PacedAfterProgress } from '../../../lib/workflow/errors.js';
import { gatherTargets, pagesPerInvocation } from '../../../lib/workflow/gather-targets.js';
import { startRelease } from '../../../lib/workflow/start-release.js';
import type { WorkflowState } from '../../../lib/workflow/workflow-state.js';
import { type FakeWorkflow, fakeWorkflow, NOW } from './fakes.js';

const RETRY_STATUSES = ['FAILED', 'TIMED_OUT', 'REJECTED'];
type Executions = Record<string, [string, string][]>;

/**
 * The source: wave 1's job halted (c never started there, CANCELED) and its
 * follow-up job over c; wave 2 with every other status.
 */
const twoWaves: Executions = {
  'src-w01': [
    ['a', 'FAILED'],
    ['b', 'SUCCEEDED'],
    ['c', 'CANCELED'],
    ['d', 'TIMED_OUT'],
  ],
  'src-w01-r1': [['c', 'FAILED']],
  'src-w02': [
    ['e', 'REJECTED'],
    ['f', 'SUCCEEDED'],
    ['g', 'REMOVED'],
    ['h', 'FAILED'],
    ['i', 'CANCELED'],
  ],
};

async function seedSource(deps: FakeWorkflow, executions: Executions, waves = 2): Promise<void> {
  deps.store.seed(
    {
      releaseId: 'src',
      jobTemplateId: 'fw-2-0',
      targets: { thingGroups: ['fleet'] },
      waves: waves === 2 ? [{ percentage: 50 }, { percentage: 100 }] : [{ percentage: 100 }],
    },
    'FAILED',
    waves === 2
      ? [
          { status: 'SUCCEEDED', jobId: 'src-w01', followUpJobIds: ['src-w01-r1'] },
          { status: 'FAILED', jobId: 'src-w02' },
        ]
      : [{ status: 'SUCCEEDED', jobId: 'src-w01' }],
  );
  for (const [jobId, list] of Object.entries(executions)) {
    deps.jobs.executions.set(
      jobId,
      list.map(([thingName, status]) => ({ thingName, status })),
    );
  }
}

/** The derived release, stored as the API stores it, and started: StartRelease sends it to the gather. */
async function derived(deps: FakeWorkflow, kind: 'retry' | 'rollback', releaseId = `${kind}-1`) {
  const thingGroupName = targetSetGroupName(releaseId);
  const request = parseReleaseRequest({
    releaseId,
    jobTemplateId: 'fw-2-0',
    targets: { thingGroups: [thingGroupName] },
    waves: [{ targets: { thingGroups: [thingGroupName] } }],
  });
  const statuses = kind === 'retry' ? RETRY_STATUSES : ['SUCCEEDED'];
  await deps.store.createRelease(request, 'tester', {
    ...(kind === 'retry' ? { retryOf: 'src' } : { rollbackOf: 'src' }),
    targetSet: { sourceReleaseId: 'src', statuses, thingGroupName },
  });
  const state = await startRelease(deps, { state: { releaseId }, now: NOW });
  expect(state.next).toBe('gather');
  return { state, thingGroupName };
}

/** Runs GatherTargets until it answers something else than `gather`; returns that answer and the runs. */
async function gatherAll(deps: FakeWorkflow, first: WorkflowState) {
  let state = first;
  let runs = 0;
  do {
    state = await gatherTargets(deps, { state, now: NOW });
    runs++;
  } while (state.next === 'gather');
  return { state, runs };
}

function members(deps: FakeWorkflow, group: string): string[] {
  return [...(deps.groups.groups.get(group) ?? [])].sort();
}

describe('GatherTargets', () => {
  it("puts in a retry's group exactly the things whose executions ended FAILED, TIMED_OUT or REJECTED", async () => {
    const deps = fakeWorkflow();
    await seedSource(deps, twoWaves);
    const { state, thingGroupName } = await derived(deps, 'retry');
    const done = await gatherAll(deps, state);
    expect(done.state).toMatchObject({ next: 'wave', nextWaveNumber: 1 });
    expect(members(deps, thingGroupName)).toEqual(['a', 'c', 'd', 'e', 'h']);
    const { release } = await deps.store.getRelease('retry-1');
    expect(release.targetSet).toMatchObject({ things: 5, gatheredAt: NOW });
    // Two things a page, ten pages an invocation: one invocation for this source.
    expect(done.runs).toBe(1);
  });

  it("puts in a rollback's group exactly the things whose executions SUCCEEDED", async () => {
    const deps = fakeWorkflow();
    await seedSource(deps, twoWaves);
    const { state, thingGroupName } = await derived(deps, 'rollback');
    await gatherAll(deps, state);
    expect(members(deps, thingGroupName)).toEqual(['b', 'f']);
    expect((await deps.store.getRelease('rollback-1')).release.targetSet?.things).toBe(2);
  });

  it('spreads a long listing over invocations with a cursor, reading each page once', async () => {
    const deps = fakeWorkflow();
    const things = Array.from({ length: 45 }, (_, i) => `t-${String(i).padStart(2, '0')}`);
    await seedSource(deps, { 'src-w01': things.map((t, i) => [t, i % 3 === 0 ? 'FAILED' : 'SUCCEEDED']) }, 1);
    deps.jobs.pageSize = 1;
    const { state, thingGroupName } = await derived(deps, 'retry');
    const first = await gatherTargets(deps, { state, now: NOW });
    expect(first).toMatchObject({ next: 'gather', gather: { listing: 0, nextToken: '10', found: 10 } });
    const done = await gatherAll(deps, first);
    const failed = things.filter((_, i) => i % 3 === 0);
    expect(members(deps, thingGroupName)).toEqual(failed);
    // 15 FAILED pages and an empty TIMED_OUT and REJECTED page each: 17 calls, no page read twice.
    expect(deps.jobs.calls.filter((c) => c === 'list')).toHaveLength(17);
    expect(deps.groups.adds).toBe(failed.length);
    expect(1 + done.runs).toBe(2);
  });

  it('keeps what it added when an add fails, and a retry adds only what is missing', async () => {
    const deps = fakeWorkflow();
    const things = Array.from({ length: 20 }, (_, i) => `t-${String(i).padStart(2, '0')}`);
    await seedSource(deps, { 'src-w01': things.map((t) => [t, 'FAILED']) }, 1);
    deps.jobs.pageSize = 250;
    const { state, thingGroupName } = await derived(deps, 'retry');
    const added: string[] = [];
    const add = deps.groups.addThing.bind(deps.groups);
    deps.groups.addThing = async (group, thing) => {
      await add(group, thing);
      added.push(thing);
    };
    deps.groups.failAddsAfter = 10;
    // The second batch of eight fails: the first is kept in the cursor.
    const cut = await gatherTargets(deps, { state, now: NOW });
    expect(cut).toMatchObject({ next: 'gather', gather: { listing: 0, skip: 8, found: 8 } });
    // Failing again with nothing done, it throws to the state machine's Retry.
    await expect(gatherTargets(deps, { state: cut, now: NOW })).rejects.toBeInstanceOf(ConflictError);
    deps.groups.failAddsAfter = undefined;
    await gatherAll(deps, cut);
    expect(members(deps, thingGroupName)).toEqual(things);
    // The first batch was never added again; only the two adds of the failed batch that went through were.
    for (const thing of things.slice(0, 8)) expect(added.filter((t) => t === thing)).toHaveLength(1);
    expect(added).toHaveLength(22);
    expect((await deps.store.getRelease('retry-1')).release.targetSet?.things).toBe(20);
  });

  it('throws a throttled first listing to the Retry rules, and the retry with the same input completes', async () => {
    const deps = fakeWorkflow();
    await seedSource(deps, twoWaves);
    const { state, thingGroupName } = await derived(deps, 'retry');
    deps.jobs.failNext('list', new ThrottledError('Rate exceeded', 1));
    await expect(gatherTargets(deps, { state, now: NOW })).rejects.toBeInstanceOf(ThrottledError);
    await gatherAll(deps, state);
    expect(members(deps, thingGroupName)).toEqual(['a', 'c', 'd', 'e', 'h']);
  });

  it('waits for a paced listing from where it stands, not from its input', async () => {
    const deps = fakeWorkflow();
    await seedSource(deps, twoWaves);
    const { state } = await derived(deps, 'retry');
    const list = deps.jobs.listExecutionsPage.bind(deps.jobs);
    let calls = 0;
    deps.jobs.listExecutionsPage = async (jobId, options) => {
      if (++calls === 2) throw new PacedError('paced', 'ListJobExecutionsForJob', Date.parse(NOW) + 100);
      return list(jobId, options);
    };
    const paced = await gatherTargets(deps, { state, now: NOW }).catch((error: unknown) => error);
    expect(paced).toBeInstanceOf(PacedAfterProgress);
    expect((paced as PacedAfterProgress).state).toMatchObject({
      next: 'gather',
      gather: { listing: 1, found: 1 },
    });
  });

  it('ends the release SUCCEEDED with nothing to do when no execution is in the set', async () => {
    const deps = fakeWorkflow();
    await seedSource(deps, {
      'src-w01': [['a', 'SUCCEEDED']],
      'src-w01-r1': [],
      'src-w02': [['b', 'CANCELED']],
    });
    const { state, thingGroupName } = await derived(deps, 'retry');
    const { state: out } = await gatherAll(deps, state);
    expect(out.next).toBe('succeeded');
    const { release, waves } = await deps.store.getRelease('retry-1');
    expect(release.status).toBe('SUCCEEDED');
    expect(release.statusReason).toBe(
      'Nothing to retry: no execution of release src ended FAILED, TIMED_OUT, REJECTED.',
    );
    expect(release.targetSet).toMatchObject({ things: 0, gatheredAt: NOW });
    expect(waves.map((w) => w.status)).toEqual(['CANCELED']);
    expect(members(deps, thingGroupName)).toEqual([]);
    expect(deps.notifier.types).toContain('Release Succeeded');
  });

  it('fails naming the job when a job of the source is gone', async () => {
    const deps = fakeWorkflow();
    await seedSource(deps, { 'src-w01': [['a', 'FAILED']], 'src-w02': [] });
    const { state } = await derived(deps, 'retry');
    const error = await gatherAll(deps, state).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toBe(
      'Job src-w01-r1 of release src cannot be found: its executions, and so the things of this release, cannot be read.',
    );
  });

  it('waits a minute at a time while the source still has executions running, then reads what they ended as', async () => {
    const deps = fakeWorkflow();
    await seedSource(
      deps,
      {
        'src-w01': [
          ['a', 'SUCCEEDED'],
          ['b', 'IN_PROGRESS'],
          ['c', 'QUEUED'],
        ],
      },
      1,
    );
    const { state, thingGroupName } = await derived(deps, 'rollback');
    const waiting = await gatherTargets(deps, { state, now: NOW });
    expect(waiting).toMatchObject({ next: 'settle', settle: { since: NOW, waitSeconds: 60 } });
    expect(deps.groups.groups.has(thingGroupName)).toBe(false);
    // The running devices finish (the queued one was canceled with the job): the set is read now.
    deps.jobs.executions.set('src-w01', [
      { thingName: 'a', status: 'SUCCEEDED' },
      { thingName: 'b', status: 'SUCCEEDED' },
      { thingName: 'c', status: 'CANCELED' },
    ]);
    const later = new Date(Date.parse(NOW) + 60_000).toISOString();
    const done = await gatherTargets(deps, { state: waiting, now: later });
    expect(done).toMatchObject({ next: 'wave' });
    expect(members(deps, thingGroupName)).toEqual(['a', 'b']);
    expect((await deps.store.getRelease('rollback-1')).release.targetSet).not.toHaveProperty('stillRunning');
  });

  it('stops waiting after 30 minutes and records how many executions were still running', async () => {
    const deps = fakeWorkflow();
    await seedSource(
      deps,
      {
        'src-w01': [
          ['a', 'SUCCEEDED'],
          ['b', 'IN_PROGRESS'],
        ],
      },
      1,
    );
    const { state, thingGroupName } = await derived(deps, 'rollback');
    const waiting = await gatherTargets(deps, { state, now: NOW });
    const at = (minutes: number) => new Date(Date.parse(NOW) + minutes * 60_000).toISOString();
    expect(await gatherTargets(deps, { state: waiting, now: at(29) })).toMatchObject({
      next: 'settle',
      settle: { since: NOW },
    });
    expect(await gatherTargets(deps, { state: waiting, now: at(30) })).toMatchObject({ next: 'wave' });
    expect(members(deps, thingGroupName)).toEqual(['a']);
    expect((await deps.store.getRelease('rollback-1')).release.targetSet).toMatchObject({
      things: 1,
      stillRunning: 1,
    });
  });

  it("reads no executions of a failed wave's job that was recorded but never created, and fails on one gone otherwise", async () => {
    const deps = fakeWorkflow();
    // Wave 2 FAILED before its CreateJob: src-w02 never existed.
    await seedSource(deps, {
      'src-w01': twoWaves['src-w01'] ?? [],
      'src-w01-r1': twoWaves['src-w01-r1'] ?? [],
    });
    const { state, thingGroupName } = await derived(deps, 'retry');
    const done = await gatherAll(deps, state);
    expect(done.state).toMatchObject({ next: 'wave' });
    expect(members(deps, thingGroupName)).toEqual(['a', 'c', 'd']);
  });

  it('leaves out, and counts, a thing the registry no longer has; a missing group still stops it', async () => {
    const deps = fakeWorkflow();
    await seedSource(deps, twoWaves);
    deps.groups.deleted.add('c');
    const { state, thingGroupName } = await derived(deps, 'retry');
    await gatherAll(deps, state);
    expect(members(deps, thingGroupName)).toEqual(['a', 'd', 'e', 'h']);
    expect((await deps.store.getRelease('retry-1')).release.targetSet).toMatchObject({
      things: 4,
      thingsGone: 1,
    });

    const other = fakeWorkflow();
    await seedSource(other, twoWaves);
    const { state: next } = await derived(other, 'retry');
    other.groups.addThing = async (group) => {
      throw new NotFoundError(`Thing Group ${group} cannot be found.`, group);
    };
    await expect(gatherAll(other, next)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("stops with a conflict, sending nothing, when the set's group already held other things", async () => {
    const deps = fakeWorkflow({ 'fleetwave-retry-1-targets': ['stranger'] });
    await seedSource(deps, twoWaves);
    const { state } = await derived(deps, 'retry');
    await expect(gatherAll(deps, state)).rejects.toThrow(/holds 6 things where this retry found 5/);
    expect((await deps.store.getRelease('retry-1')).release.targetSet?.gatheredAt).toBeUndefined();
  });

  it('goes on to wave 1 without listing again once another run recorded the set', async () => {
    const deps = fakeWorkflow();
    await seedSource(deps, twoWaves);
    const { state } = await derived(deps, 'retry');
    await gatherAll(deps, state);
    const listed = deps.jobs.calls.length;
    const again = await gatherTargets(deps, { state, now: NOW });
    expect(again).toMatchObject({ next: 'wave', nextWaveNumber: 1 });
    expect(deps.jobs.calls.length).toBe(listed);
    expect((await deps.store.getRelease('retry-1')).release.targetSet?.things).toBe(5);
  });

  it('counts a thing two waves named once', async () => {
    const deps = fakeWorkflow();
    deps.store.seed(
      {
        releaseId: 'src',
        jobTemplateId: 'fw-2-0',
        targets: { things: ['a', 'b'] },
        waves: [{ targets: { things: ['a', 'b'] } }, { targets: { things: ['a'] } }],
      },
      'SUCCEEDED',
      [
        { status: 'SUCCEEDED', jobId: 'src-w01' },
        { status: 'SUCCEEDED', jobId: 'src-w02' },
      ],
    );
    deps.jobs.executions.set('src-w01', [
      { thingName: 'a', status: 'SUCCEEDED' },
      { thingName: 'b', status: 'SUCCEEDED' },
    ]);
    deps.jobs.executions.set('src-w02', [{ thingName: 'a', status: 'SUCCEEDED' }]);
    const { state, thingGroupName } = await derived(deps, 'rollback');
    await gatherAll(deps, state);
    expect(members(deps, thingGroupName)).toEqual(['a', 'b']);
    expect((await deps.store.getRelease('rollback-1')).release.targetSet?.things).toBe(2);
  });

  it('hands a canceled release to the cancel path', async () => {
    const deps = fakeWorkflow();
    await seedSource(deps, twoWaves);
    const { state } = await derived(deps, 'retry');
    await deps.store.transitionRelease('retry-1', { to: 'CANCELED', reason: 'stop' });
    expect(await gatherTargets(deps, { state, now: NOW })).toMatchObject({ next: 'canceled' });
  });

  it('reads at most a second of the budget per invocation, and at least one page', () => {
    expect([10, 8, 2.5, 0.1, 50, 'off' as const].map(pagesPerInvocation)).toEqual([10, 8, 2, 1, 10, 10]);
  });

  it('reads no more pages an invocation than it is given', async () => {
    const deps = fakeWorkflow();
    await seedSource(deps, twoWaves);
    deps.jobs.pageSize = 1;
    const { state } = await derived(deps, 'retry');
    const first = await gatherTargets(deps, { state, now: NOW }, 3);
    expect(deps.jobs.calls.filter((c) => c === 'list')).toHaveLength(3);
    // wave 1's job: FAILED (a), TIMED_OUT (d), REJECTED (none), one page each.
    expect(first).toMatchObject({ next: 'gather', gather: { listing: 3, found: 2 } });
  });
});

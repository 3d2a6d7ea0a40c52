/**
 * GatherTargets: before the first wave of a retry or a rollback, puts in
 * the static thing group its targets name exactly the things of its target
 * set (lib/domain/target-set.ts), read from the source release's executions
 * with ListJobExecutionsForJob and its status filter.
 *
 * A 100,000-thing source is hundreds of pages and up to 100,000
 * AddThingToThingGroup calls, more than one Lambda should hold, and the
 * listing is paced by the IoT call budget. So each invocation reads at most
 * a second's worth of pages ({@link pagesPerInvocation}) and answers
 * `next: "gather"` with a cursor in the workflow state until every listing
 * is read; then it records
 * `things` and `gatheredAt` in one write and sends the machine to wave 1.
 * A failure after some progress ends the invocation with that progress kept
 * (the next one meets the failure again, with nothing done, and throws it
 * to the Retry rules), so a retry only redoes what is missing.
 *
 * The set is read once the source's executions have ended: a failed wave's
 * job is canceled without `force`, so devices already running finish after
 * the release ended, and one that then SUCCEEDED must be rolled back too.
 * Before its first page the gather looks at the source's jobs (DescribeJob)
 * and, while any execution is QUEUED or IN_PROGRESS, waits a minute at a
 * time (`next: "settle"`), for at most {@link SETTLE_LIMIT_MS}; then it reads
 * what has ended and records how many were still running (`stillRunning`).
 */
import { releaseGroupDescription } from '../domain/cohorts.js';
import { ConflictError, NotFoundError, PacedError } from '../domain/errors.js';
import type { Release, TargetSet } from '../domain/release.js';
import type { TargetSetGathered } from '../domain/release-store.js';
import {
  type TargetListing,
  targetListings,
  targetThings,
  wavesMayShareThings,
} from '../domain/target-set.js';
import { deleteGroupsOfRelease } from './delete-release-groups.js';
import { PacedAfterProgress } from './errors.js';
import type { WorkflowDeps } from './ports.js';
import { loadRelease, moveRelease } from './release-context.js';
import { releaseSucceeded } from './release-events.js';
import { carried, type GatherCursor, type TaskEvent, type WorkflowState } from './workflow-state.js';

/** Pages (of up to 250 executions) one invocation reads at most: a second of AWS's 10 calls per second. */
const MAX_PAGES_PER_INVOCATION = 10;

/**
 * Pages one invocation reads under a budget of `callsPerSecond` (`off`: AWS's
 * own rate): at most a second's worth, since the invocation after a pace wait
 * sends its calls together, and at least one.
 */
export function pagesPerInvocation(callsPerSecond: number | 'off'): number {
  if (callsPerSecond === 'off') return MAX_PAGES_PER_INVOCATION;
  return Math.min(MAX_PAGES_PER_INVOCATION, Math.max(1, Math.floor(callsPerSecond)));
}

/** How long the gather waits for the source's running executions to end. */
const SETTLE_LIMIT_MS = 30 * 60_000;
/** One look at the source's jobs a minute while it settles. */
const SETTLE_WAIT_SECONDS = 60;

/** AddThingToThingGroup calls in flight at once, as for a cohort group. */
const ADD_CONCURRENCY = 8;

/** What the invocation did before it stopped: the cursor it reached, and an error that cut it short. */
interface Progress {
  cursor: GatherCursor;
  error?: unknown;
}

/** `retry`, `roll back`: what the release does with its set, for reasons and descriptions. */
function purposeOf(release: Release): string {
  return release.rollbackOf !== undefined ? 'roll back' : 'retry';
}

/**
 * Adds a thing to the group: true when added, false when the registry no
 * longer has the thing (a device deleted since it ran is no one to send a
 * job to, and must not stop the others).
 */
async function addOrGone(deps: WorkflowDeps, groupName: string, thing: string): Promise<boolean> {
  try {
    await deps.groups.addThing(groupName, thing);
    return true;
  } catch (error) {
    // The group itself may be what is missing: only a thing the registry denies is skipped.
    if (error instanceof NotFoundError && !(await deps.groups.thingExists(thing))) return false;
    throw error;
  }
}

/**
 * Adds the page's things from `cursor.skip` on, `ADD_CONCURRENCY` at a
 * time, moving `skip`, `found` and `gone` past each batch that went through;
 * a failed batch stops it with the cursor before that batch.
 */
async function addPage(
  deps: WorkflowDeps,
  groupName: string,
  things: readonly string[],
  start: GatherCursor,
): Promise<Progress> {
  let cursor = start;
  let skip = cursor.skip ?? 0;
  while (skip < things.length) {
    const batch = things.slice(skip, skip + ADD_CONCURRENCY);
    let added: boolean[];
    try {
      added = await Promise.all(batch.map((thing) => addOrGone(deps, groupName, thing)));
    } catch (error) {
      return { cursor, error };
    }
    skip += batch.length;
    const gone = added.filter((a) => !a).length + (cursor.gone ?? 0);
    cursor = { ...cursor, skip, found: cursor.found + batch.length - added.filter((a) => !a).length };
    if (gone > 0) cursor = { ...cursor, gone };
  }
  return { cursor };
}

/** The page of `listing` the cursor points at. @throws NotFoundError naming the source when its job is gone */
async function readPage(deps: WorkflowDeps, listing: TargetListing, cursor: GatherCursor, sourceId: string) {
  try {
    if (listing.mayBeMissing && !(await jobExists(deps, listing.jobId))) return { executions: [] };
    return await deps.jobs.listExecutionsPage(listing.jobId, {
      status: listing.status,
      ...(cursor.nextToken !== undefined && { nextToken: cursor.nextToken }),
    });
  } catch (error) {
    throw sourceJobError(error, listing.jobId, sourceId);
  }
}

/** Whether IoT knows the job (DescribeJob); only asked of a job that may never have been created. */
async function jobExists(deps: WorkflowDeps, jobId: string): Promise<boolean> {
  try {
    await deps.jobs.describe(jobId);
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
}

/** A source job that is gone, named with its release: without its executions the set would be short, so the gather stops, never guesses. */
function sourceJobError(error: unknown, jobId: string, sourceId: string): unknown {
  if (!(error instanceof NotFoundError)) return error;
  return new NotFoundError(
    `Job ${jobId} of release ${sourceId} cannot be found: its executions, and so the things of this release, cannot be read.`,
    jobId,
  );
}

/** Reads up to `maxPages` pages from `start`, keeping what was done if one fails. */
async function gatherSome(
  deps: WorkflowDeps,
  set: TargetSet,
  listings: readonly TargetListing[],
  start: GatherCursor,
  maxPages: number,
): Promise<Progress> {
  const sourceId = set.sourceReleaseId;
  let cursor = start;
  for (let pages = 0; pages < maxPages && cursor.listing < listings.length; pages++) {
    const listing = listings[cursor.listing] as TargetListing;
    let page: Awaited<ReturnType<typeof readPage>>;
    try {
      page = await readPage(deps, listing, cursor, sourceId);
    } catch (error) {
      return { cursor, error };
    }
    const added = await addPage(
      deps,
      set.thingGroupName,
      targetThings(page.executions, set.statuses),
      cursor,
    );
    if (added.error !== undefined) return added;
    const { listing: at, found, stillRunning, gone } = added.cursor;
    const kept = {
      found,
      ...(stillRunning !== undefined && { stillRunning }),
      ...(gone !== undefined && { gone }),
    };
    cursor =
      page.nextToken === undefined
        ? { listing: at + 1, ...kept }
        : { listing: at, nextToken: page.nextToken, ...kept };
  }
  return { cursor };
}

/** Executions of the source's jobs still QUEUED or IN_PROGRESS (DescribeJob of each job). */
async function runningExecutions(
  deps: WorkflowDeps,
  listings: readonly TargetListing[],
  sourceId: string,
): Promise<number> {
  let running = 0;
  const jobs = new Map(listings.map((l) => [l.jobId, l.mayBeMissing]));
  for (const [jobId, mayBeMissing] of jobs) {
    const job = await deps.jobs.describe(jobId).catch((error: unknown) => {
      if (mayBeMissing && error instanceof NotFoundError) return undefined;
      throw sourceJobError(error, jobId, sourceId);
    });
    running += job ? job.counts.numberOfQueuedThings + job.counts.numberOfInProgressThings : 0;
  }
  return running;
}

/**
 * Where the gather begins: a `settle` wait while the source still has
 * executions running (until the limit), else the first cursor.
 */
async function firstStep(
  deps: WorkflowDeps,
  state: TaskEvent['state'],
  listings: readonly TargetListing[],
  sourceId: string,
  now: string,
): Promise<{ settle: NonNullable<WorkflowState['settle']> } | { cursor: GatherCursor }> {
  const running = await runningExecutions(deps, listings, sourceId);
  if (running === 0) return { cursor: { listing: 0, found: 0 } };
  const since = state.settle?.since ?? now;
  if (Date.parse(now) - Date.parse(since) < SETTLE_LIMIT_MS) {
    return { settle: { since, waitSeconds: SETTLE_WAIT_SECONDS } };
  }
  return { cursor: { listing: 0, found: 0, stillRunning: running } };
}

/**
 * How many things the complete group holds, read from the group. It must
 * hold no more than the gather put in it: a group of that name holding other
 * things (made by someone else, or left from a release of the same id) is
 * not this release's, and the release stops with ConflictError rather than
 * send the job to devices nobody chose.
 */
async function countGathered(deps: WorkflowDeps, source: Release, set: TargetSet, found: number) {
  const members = (await deps.groups.listThings(set.thingGroupName, { recursive: false })).length;
  // A thing two waves both named was added (and counted) once per wave: then only the group knows.
  if (wavesMayShareThings(source)) return members;
  // Fewer is a listing that lags the adds (the registry's reads are eventually consistent).
  if (members <= found) return found;
  throw new ConflictError(
    `Thing group ${set.thingGroupName} holds ${members} things where this ${set.statuses.includes('SUCCEEDED') ? 'rollback' : 'retry'} found ${found}: it holds things outside the set, so it is not this release's group.`,
    set.thingGroupName,
  );
}

/** The set is complete: record it, then go to wave 1, or end the release when there is nothing to do. */
async function finishGather(
  deps: WorkflowDeps,
  release: Release,
  things: number,
  out: WorkflowState,
  now: string,
  left: Pick<TargetSetGathered, 'stillRunning' | 'thingsGone'> = {},
): Promise<WorkflowState> {
  const recorded = await deps.store.recordTargetSetGathered(release.releaseId, { things, at: now, ...left });
  const set = recorded.value.targetSet as TargetSet;
  if ((set.things ?? things) > 0) return { ...out, nextWaveNumber: 1, next: 'wave' };
  const reason = `Nothing to ${purposeOf(release)}: no execution of release ${set.sourceReleaseId} ended ${set.statuses.join(', ')}.`;
  await deps.store.markRemainingWavesCanceled(release.releaseId, {
    reason: `Not started: ${reason}`,
    at: now,
  });
  const ended = await moveRelease(deps.store, release.releaseId, {
    to: 'SUCCEEDED',
    from: ['IN_PROGRESS'],
    reason,
    at: now,
  });
  if (ended.release.status === 'CANCELED') return { ...out, next: 'canceled' };
  await deps.notifier.publish(releaseSucceeded(ended.release, undefined, now));
  // The set's group, created empty: nothing targets it now.
  await deleteGroupsOfRelease(deps, release.releaseId);
  return { ...out, next: 'succeeded' };
}

/**
 * GatherTargets for `event`, reading at most `maxPages` pages of executions
 * (`pagesPerInvocation` of the IoT call budget).
 */
export async function gatherTargets(
  deps: WorkflowDeps,
  { state, now }: TaskEvent,
  maxPages = MAX_PAGES_PER_INVOCATION,
): Promise<WorkflowState> {
  const out = carried(state);
  const { release } = await loadRelease(deps.store, state.releaseId);
  if (release.status === 'CANCELED') return { ...out, next: 'canceled' };
  const set = release.targetSet;
  // Nothing to gather (a plain release), or another run of this step recorded the set already.
  if (set === undefined) return { ...out, nextWaveNumber: 1, next: 'wave' };
  if (set.gatheredAt !== undefined) return finishGather(deps, release, set.things ?? 0, out, now);

  const source = await loadRelease(deps.store, set.sourceReleaseId);
  const listings = targetListings(source, set.statuses);
  let start = state.gather;
  if (start === undefined) {
    const first = await firstStep(deps, state, listings, set.sourceReleaseId, now);
    if ('settle' in first) return { ...out, settle: first.settle, next: 'settle' };
    start = first.cursor;
    await deps.groups.ensure(
      set.thingGroupName,
      releaseGroupDescription(
        release.releaseId,
        `the things to ${purposeOf(release)} of release ${set.sourceReleaseId} (executions ${set.statuses.join(', ')})`,
      ),
    );
  }
  const { cursor, error } = await gatherSome(deps, set, listings, start, maxPages);
  const moved = JSON.stringify(cursor) !== JSON.stringify(start);
  if (error !== undefined) {
    if (!moved) throw error;
    const progress: WorkflowState = { ...out, gather: cursor, next: 'gather' };
    // Paced after some pages: wait for the slot from here, not from the input.
    if (error instanceof PacedError) throw new PacedAfterProgress(error, progress);
    return progress;
  }
  if (cursor.listing < listings.length) return { ...out, gather: cursor, next: 'gather' };
  const things = await countGathered(deps, source.release, set, cursor.found);
  return finishGather(deps, release, things, out, now, {
    stillRunning: cursor.stillRunning,
    thingsGone: cursor.gone,
  });
}

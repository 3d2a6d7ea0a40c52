/**
 * Why a release's devices failed: its failing executions (FAILED,
 * TIMED_OUT, REJECTED) of one wave or of all, grouped by the reason their
 * devices gave in `statusDetails`. Only DescribeJobExecution carries the
 * details, one call per execution, so at most {@link FAILURE_SAMPLE}
 * executions are described, and the answer says when there were more.
 *
 * The work of one request is bounded, whatever the size of the release:
 * - a finished wave whose recorded `counts` show no executions in a status
 *   is not listed for it (the counts also give the true total,
 *   `failingExecutions`);
 * - the lists (one per wave job and failing status, a "source") run a few
 *   at a time, at most {@link LIST_CALLS_PER_REQUEST} calls in all, each
 *   round asking every source for an equal share of what the sample still
 *   needs, and the sample takes the sources' executions in turn, so that no
 *   wave or status crowds the others out;
 * - listing stops, and describing starts no new call, near the Lambda's
 *   deadline, and the answer is what was gathered, `truncated`.
 * A describe still throttled (or not made for lack of time) is not counted
 * in `sampledExecutions`; only a throttled list answers 429.
 */

import { mapLimited } from '../domain/map-limited.js';
import type { WaveState } from '../domain/release.js';
import { isTerminalWaveStatus } from '../domain/statuses.js';
import { waveJobIds } from '../domain/wave-job.js';
import type { JobProcessCounts } from '../domain/wave-progress.js';
import {
  type FailureReason,
  type FailureReasons,
  failingExecutionStatuses,
  type WaveExecution,
} from './execution-schemas.js';
import { describeAll, type ExecutionReadDeps, type JobRow, listingOf, waveOf } from './wave-executions.js';

/**
 * Failing executions described per request, at most: at AWS IoT's 10
 * DescribeJobExecution calls a second, about ten seconds, well inside API
 * Gateway's 29-second limit.
 */
export const FAILURE_SAMPLE = 100;

/** ListJobExecutionsForJob calls one request makes, at most. */
export const LIST_CALLS_PER_REQUEST = 24;

/** ListJobExecutionsForJob calls in flight at once. */
const LIST_CONCURRENCY = 4;

/** No list call starts with less than this left before the Lambda's deadline: the describes need time too. */
const LIST_MARGIN_MS = 12_000;

/** No describe starts with less than this left: calls in flight may retry, and the answer must still go out. */
const DESCRIBE_MARGIN_MS = 5_000;

/** Things named per reason. */
const EXAMPLES = 5;

/** ListJobExecutionsForJob's largest page. */
const LIST_PAGE = 250;

type FailingStatus = (typeof failingExecutionStatuses)[number];

/** The wave counter of each failing status. */
const counterOf: Record<FailingStatus, keyof JobProcessCounts> = {
  FAILED: 'numberOfFailedThings',
  TIMED_OUT: 'numberOfTimedOutThings',
  REJECTED: 'numberOfRejectedThings',
};

/** How long the request has left, in ms (`context.getRemainingTimeInMillis`); unbounded when absent. */
export interface FailureReasonsOptions {
  remainingMs?: () => number;
}

/** The reason an execution's device gave: the first of `reason`, `error`, `errorCode`, else none. */
export function reasonOf(execution: Pick<WaveExecution, 'status' | 'statusDetails'>): string {
  const d = execution.statusDetails ?? {};
  return d.reason ?? d.error ?? d.errorCode ?? `no details (${execution.status})`;
}

/** One job's executions in one failing status, listed a page at a time. */
interface Source {
  jobId: string;
  status: FailingStatus;
  nextToken?: string;
  done: boolean;
  rows: JobRow[];
}

/** The sources of `waves`, without the statuses a finished wave's counts show empty. */
function sourcesOf(waves: readonly WaveState[]): Source[] {
  return waves.flatMap((wave) => {
    const final = isTerminalWaveStatus(wave.status) ? wave.counts : undefined;
    const statuses = failingExecutionStatuses.filter((s) => !final || final[counterOf[s]] > 0);
    return waveJobIds(wave).flatMap((jobId) =>
      statuses.map((status): Source => ({ jobId, status, done: false, rows: [] })),
    );
  });
}

/** The failing executions the waves' counts record, or undefined while a started wave has none. */
function failingTotal(waves: readonly WaveState[]): number | undefined {
  let total = 0;
  for (const wave of waves) {
    if (!wave.counts) {
      if (waveJobIds(wave).length > 0) return undefined;
      continue;
    }
    for (const status of failingExecutionStatuses) total += wave.counts[counterOf[status]];
  }
  return total;
}

/** The rows of every source, one of each in turn. */
export function roundRobin<T>(lists: readonly (readonly T[])[]): T[] {
  const out: T[] = [];
  const longest = Math.max(0, ...lists.map((l) => l.length));
  for (let i = 0; i < longest; i++) {
    for (const list of lists) if (i < list.length) out.push(list[i] as T);
  }
  return out;
}

/**
 * Lists the sources in rounds until they hold one more execution than the
 * sample (which tells there were more), they are all done, the call cap is
 * reached or time is up. @throws ThrottledError (a list call), UpstreamError
 */
async function listSources(deps: ExecutionReadDeps, sources: Source[], listInTime: () => boolean) {
  const wanted = FAILURE_SAMPLE + 1;
  let calls = 0;
  for (;;) {
    const held = sources.reduce((n, s) => n + s.rows.length, 0);
    const active = sources.filter((s) => !s.done).slice(0, LIST_CALLS_PER_REQUEST - calls);
    if (held >= wanted || active.length === 0 || !listInTime()) return;
    const share = Math.min(LIST_PAGE, Math.max(1, Math.ceil((wanted - held) / active.length)));
    calls += active.length;
    await mapLimited(active, LIST_CONCURRENCY, async (source) => {
      const page = await listingOf(deps.executions, source.jobId, {
        status: source.status,
        maxResults: share,
        ...(source.nextToken && { nextToken: source.nextToken }),
      });
      for (const row of page.executions) source.rows.push({ jobId: source.jobId, row });
      source.nextToken = page.nextToken;
      source.done = page.nextToken === undefined;
    });
  }
}

/** Groups described executions by reason, most frequent first (ties by reason). */
export function groupByReason(executions: readonly WaveExecution[]): FailureReason[] {
  const byReason = new Map<string, FailureReason>();
  for (const execution of executions) {
    const reason = reasonOf(execution);
    const entry = byReason.get(reason) ?? { reason, count: 0, statuses: {}, thingNames: [] };
    entry.count++;
    const status = execution.status as FailingStatus;
    entry.statuses[status] = (entry.statuses[status] ?? 0) + 1;
    if (entry.thingNames.length < EXAMPLES && !entry.thingNames.includes(execution.thingName)) {
      entry.thingNames.push(execution.thingName);
    }
    byReason.set(reason, entry);
  }
  return [...byReason.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

/**
 * The failure reasons of wave `waveNumber`, or of every wave when absent.
 * @throws NotFoundError (no such release or wave), ThrottledError (a list call), UpstreamError
 */
export async function failureReasons(
  deps: ExecutionReadDeps,
  releaseId: string,
  waveNumber: number | undefined,
  options: FailureReasonsOptions = {},
): Promise<FailureReasons> {
  const found = await deps.store.getRelease(releaseId);
  const waves = waveNumber === undefined ? found.waves : [waveOf(found, waveNumber)];
  const left = options.remainingMs ?? (() => Number.POSITIVE_INFINITY);
  const sources = sourcesOf(waves);
  await listSources(deps, sources, () => left() > LIST_MARGIN_MS);
  const held = roundRobin(sources.map((s) => s.rows));
  const sample = held.slice(0, FAILURE_SAMPLE);
  const described = await describeAll(deps.executions, sample, () => left() > DESCRIBE_MARGIN_MS);
  const sampled = described.filter((e) => !e.detailsUnavailable);
  const total = failingTotal(waves);
  return {
    reasons: groupByReason(sampled),
    sampledExecutions: sampled.length,
    truncated: held.length > sample.length || sampled.length < sample.length || sources.some((s) => !s.done),
    ...(total !== undefined && { failingExecutions: total }),
  };
}

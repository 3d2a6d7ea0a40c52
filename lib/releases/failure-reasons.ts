/**
 * Why a release's devices failed: its failing executions (FAILED,
 * TIMED_OUT, REJECTED) of one wave or of all, grouped by the reason their
 * devices gave in `statusDetails`. Only DescribeJobExecution carries the
 * details, one call per execution, so at most {@link FAILURE_SAMPLE}
 * executions are described (in wave order, then job order, then FAILED,
 * TIMED_OUT, REJECTED) and the answer says when there were more.
 */
import type { WaveState } from '../domain/release.js';
import { waveJobIds } from '../domain/wave-job.js';
import {
  type FailureReason,
  type FailureReasons,
  failingExecutionStatuses,
  type WaveExecution,
} from './execution-schemas.js';
import type { ExecutionRow } from './ports.js';
import { describeAll, type ExecutionReadDeps, listingOf, waveOf } from './wave-executions.js';

/**
 * Failing executions described per request, at most: at AWS IoT's 10
 * DescribeJobExecution calls a second, about ten seconds, well inside API
 * Gateway's 29-second limit.
 */
export const FAILURE_SAMPLE = 100;

/** Things named per reason. */
const EXAMPLES = 5;

/** ListJobExecutionsForJob's largest page. */
const LIST_PAGE = 250;

type FailingStatus = (typeof failingExecutionStatuses)[number];

/** The reason an execution's device gave: the first of `reason`, `error`, `errorCode`, else none. */
export function reasonOf(execution: Pick<WaveExecution, 'status' | 'statusDetails'>): string {
  const d = execution.statusDetails ?? {};
  return d.reason ?? d.error ?? d.errorCode ?? `no details (${execution.status})`;
}

/** Up to `FAILURE_SAMPLE + 1` failing executions of `waves` (one more tells there were more). */
async function failingRows(
  deps: ExecutionReadDeps,
  waves: readonly WaveState[],
): Promise<{ jobId: string; row: ExecutionRow }[]> {
  const rows: { jobId: string; row: ExecutionRow }[] = [];
  const wanted = FAILURE_SAMPLE + 1;
  for (const jobId of waves.flatMap(waveJobIds)) {
    for (const status of failingExecutionStatuses) {
      let nextToken: string | undefined;
      do {
        if (rows.length >= wanted) return rows;
        const page = await listingOf(deps.executions, jobId, {
          status,
          maxResults: Math.min(LIST_PAGE, wanted - rows.length),
          ...(nextToken && { nextToken }),
        });
        for (const row of page.executions) rows.push({ jobId, row });
        nextToken = page.nextToken;
      } while (nextToken);
    }
  }
  return rows;
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
 * @throws NotFoundError (no such release or wave), ThrottledError, UpstreamError
 */
export async function failureReasons(
  deps: ExecutionReadDeps,
  releaseId: string,
  waveNumber: number | undefined,
): Promise<FailureReasons> {
  const found = await deps.store.getRelease(releaseId);
  const waves = waveNumber === undefined ? found.waves : [waveOf(found, waveNumber)];
  const rows = await failingRows(deps, waves);
  const sample = rows.slice(0, FAILURE_SAMPLE);
  const described = await describeAll(deps.executions, sample);
  return {
    reasons: groupByReason(described),
    sampledExecutions: described.length,
    truncated: rows.length > sample.length,
  };
}

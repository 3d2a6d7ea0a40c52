/**
 * A wave's job executions, a page at a time, each with the `statusDetails`
 * its device reported. The executions come from the wave's IoT jobs, in the
 * order they were made (its first job, then any follow-up jobs of a halted
 * wave): a page is filled from one job and goes on into the next, and its
 * token says where it stopped (`execution-page-token.ts`). Each listed
 * execution is then described (DescribeJobExecution, a few at a time), as
 * only that call carries `statusDetails`; one found gone meanwhile is shown
 * as listed, without details, and one whose describe stays throttled is
 * shown as listed with `detailsUnavailable`: the page is not lost for it.
 * A page makes at most {@link LIST_CALLS_PER_PAGE} list calls (IoT may
 * answer a short or empty page with a token): it is then answered short,
 * with a token, rather than walked until the request times out.
 */
import { NotFoundError, ThrottledError } from '../domain/errors.js';
import { mapLimited } from '../domain/map-limited.js';
import type { ReleaseWithWaves, WaveState } from '../domain/release.js';
import type { ReleaseStore } from '../domain/release-store.js';
import { waveJobIds } from '../domain/wave-job.js';
import { decodeExecutionToken, type ExecutionCursor, encodeExecutionToken } from './execution-page-token.js';
import {
  EXECUTION_PAGE_DEFAULT,
  type WaveExecution,
  type WaveExecutionPage,
  type WaveExecutionsQuery,
} from './execution-schemas.js';
import type { ExecutionListing, ExecutionRow, JobExecutionReader } from './ports.js';

/** What reading a release's executions needs. */
export interface ExecutionReadDeps {
  store: Pick<ReleaseStore, 'getRelease'>;
  executions: JobExecutionReader;
}

/**
 * DescribeJobExecution calls in flight at once for one request: enough to
 * answer a page quickly, few enough that one request does not spend the
 * account's IoT rate for DescribeJobExecution (10 per second) by itself.
 */
const DESCRIBE_CONCURRENCY = 5;

/** ListJobExecutionsForJob calls one page of a wave's executions makes, at most. */
export const LIST_CALLS_PER_PAGE = 4;

/** Wave `waveNumber` of the release. @throws NotFoundError for a release without that wave */
export function waveOf({ release, waves }: ReleaseWithWaves, waveNumber: number): WaveState {
  const wave = waves[waveNumber - 1];
  if (waveNumber > release.waves.length || !wave) {
    throw new NotFoundError(
      `Release ${release.releaseId} has no wave ${waveNumber}: it has ${release.waves.length}.`,
      release.releaseId,
    );
  }
  return wave;
}

/** A page of the job's executions; a job IoT does not have (yet, or any more) has none. */
export async function listingOf(
  reader: JobExecutionReader,
  jobId: string,
  options: { status?: string; maxResults: number; nextToken?: string },
): Promise<ExecutionListing> {
  try {
    return await reader.listPage(jobId, options);
  } catch (error) {
    // The wave records its job id before CreateJob, so a read between the two finds none.
    if (error instanceof NotFoundError && options.nextToken === undefined) return { executions: [] };
    throw error;
  }
}

/** A listed execution and the job it belongs to. */
export interface JobRow {
  jobId: string;
  row: ExecutionRow;
}

/**
 * The listed executions with their devices' `statusDetails`, described a
 * few at a time. A describe still throttled after the adapter's retries, or
 * not made because `inTime` said time was up, leaves its row as listed with
 * `detailsUnavailable`; any other error rejects (once the describes in
 * flight have settled).
 */
export function describeAll(
  reader: JobExecutionReader,
  rows: readonly JobRow[],
  inTime: () => boolean = () => true,
): Promise<WaveExecution[]> {
  return mapLimited(rows, DESCRIBE_CONCURRENCY, async ({ jobId, row }): Promise<WaveExecution> => {
    if (!inTime()) return { ...row, detailsUnavailable: true };
    try {
      const { statusDetails } = await reader.describe(jobId, row.thingName, row.executionNumber);
      return { ...row, ...(statusDetails && { statusDetails }) };
    } catch (error) {
      if (error instanceof ThrottledError) return { ...row, detailsUnavailable: true };
      throw error;
    }
  });
}

/**
 * One page of wave `waveNumber`'s executions, newest job last.
 * @throws NotFoundError (no such release or wave), ValidationError (bad token),
 * ThrottledError, UpstreamError
 */
export async function listWaveExecutions(
  deps: ExecutionReadDeps,
  releaseId: string,
  waveNumber: number,
  query: WaveExecutionsQuery,
): Promise<WaveExecutionPage> {
  const wave = waveOf(await deps.store.getRelease(releaseId), waveNumber);
  const scope = { releaseId, waveNumber, jobIds: waveJobIds(wave) };
  const { jobIds } = scope;
  const { status } = query;
  const maxResults = query.maxResults ?? EXECUTION_PAGE_DEFAULT;
  let cursor: ExecutionCursor = query.nextToken
    ? decodeExecutionToken(query.nextToken, status, scope)
    : { job: 0 };
  const rows: JobRow[] = [];
  for (
    let calls = 0;
    calls < LIST_CALLS_PER_PAGE && rows.length < maxResults && cursor.job < jobIds.length;
    calls++
  ) {
    const jobId = jobIds[cursor.job] as string;
    const page = await listingOf(deps.executions, jobId, {
      maxResults: maxResults - rows.length,
      ...(status && { status }),
      ...(cursor.iotToken && { nextToken: cursor.iotToken }),
    });
    for (const row of page.executions) rows.push({ jobId, row });
    cursor = page.nextToken ? { job: cursor.job, iotToken: page.nextToken } : { job: cursor.job + 1 };
  }
  const items = await describeAll(deps.executions, rows);
  const more = cursor.job < jobIds.length;
  return { items, ...(more && { nextToken: encodeExecutionToken(cursor, status, scope) }) };
}

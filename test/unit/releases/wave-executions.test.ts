/**
 * Reading a release's job executions with in-memory fakes: pages that
 * cross a wave's jobs, describes a few at a time, and the failure-reason
 * sample, its grouping and its truncation.
 */
import { describe, expect, it } from 'vitest';
import { followUpJobId } from '../../../lib/domain/wave-halt.js';
import {
  FAILURE_SAMPLE,
  failureReasons,
  groupByReason,
  reasonOf,
} from '../../../lib/releases/failure-reasons.js';
import type { ExecutionDetails, ExecutionListing, JobExecutionReader } from '../../../lib/releases/ports.js';
import { listWaveExecutions } from '../../../lib/releases/wave-executions.js';
import { fakes, releaseBody } from './fakes.js';

interface FakeExecution {
  thingName: string;
  status: string;
  statusDetails?: Record<string, string>;
}

/** IoT's executions by job; tokens are offsets; tracks the describes in flight. */
class FakeReader implements JobExecutionReader {
  readonly jobs = new Map<string, FakeExecution[]>();
  readonly listed: { jobId: string; maxResults: number }[] = [];
  inFlight = 0;
  maxInFlight = 0;

  async listPage(
    jobId: string,
    options: { status?: string; maxResults: number; nextToken?: string },
  ): Promise<ExecutionListing> {
    this.listed.push({ jobId, maxResults: options.maxResults });
    const all = (this.jobs.get(jobId) ?? []).filter((e) => !options.status || e.status === options.status);
    const from = Number(options.nextToken ?? 0);
    const to = from + options.maxResults;
    return {
      executions: all
        .slice(from, to)
        .map(({ thingName, status }) => ({ thingName, status, executionNumber: 1 })),
      ...(to < all.length && { nextToken: String(to) }),
    };
  }

  async describe(jobId: string, thingName: string): Promise<ExecutionDetails> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    this.inFlight--;
    const found = this.jobs.get(jobId)?.find((e) => e.thingName === thingName);
    if (!found) return { found: false };
    return { found: true, ...(found.statusDetails && { statusDetails: found.statusDetails }) };
  }
}

const things = (prefix: string, n: number, status: string, statusDetails?: Record<string, string>) =>
  Array.from({ length: n }, (_, i) => ({
    thingName: `${prefix}-${i}`,
    status,
    ...(statusDetails && { statusDetails }),
  }));

/** A release of two waves; wave 1 ran job `r-w01` then its follow-up `r-w01-r1`, wave 2 ran `r-w02`. */
function setUp() {
  const { store } = fakes();
  store.seed(
    { ...releaseBody(), releaseId: 'r', waves: [{ percentage: 10 }, { percentage: 100 }] },
    'FAILED',
    [
      { status: 'SUCCEEDED', jobId: 'r-w01', followUpJobIds: [followUpJobId('r', 1, 1)] },
      { status: 'FAILED', jobId: 'r-w02' },
    ],
  );
  const reader = new FakeReader();
  return { deps: { store, executions: reader }, reader };
}

describe('listWaveExecutions', () => {
  it('fills pages across the wave’s jobs in order, each execution once, with its details', async () => {
    const { deps, reader } = setUp();
    reader.jobs.set('r-w01', things('a', 4, 'SUCCEEDED'));
    reader.jobs.set('r-w01-r1', things('b', 3, 'FAILED', { reason: 'flash' }));
    const pages: string[][] = [];
    let nextToken: string | undefined;
    do {
      const page = await listWaveExecutions(deps, 'r', 1, { maxResults: 3, ...(nextToken && { nextToken }) });
      pages.push(page.items.map((e) => e.thingName));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(pages).toEqual([['a-0', 'a-1', 'a-2'], ['a-3', 'b-0', 'b-1'], ['b-2']]);
    const failed = await listWaveExecutions(deps, 'r', 1, { status: 'FAILED' });
    expect(failed.items.map((e) => [e.thingName, e.statusDetails])).toEqual([
      ['b-0', { reason: 'flash' }],
      ['b-1', { reason: 'flash' }],
      ['b-2', { reason: 'flash' }],
    ]);
  });

  it('describes at most five executions at once', async () => {
    const { deps, reader } = setUp();
    reader.jobs.set('r-w02', things('c', 40, 'FAILED'));
    const page = await listWaveExecutions(deps, 'r', 2, { maxResults: 40 });
    expect(page.items).toHaveLength(40);
    expect(reader.maxInFlight).toBe(5);
  });
});

describe('failure reasons', () => {
  it('takes a reason from reason, then error, then errorCode, else names the status', () => {
    expect(reasonOf({ status: 'FAILED', statusDetails: { error: 'e', reason: 'r', errorCode: 'c' } })).toBe(
      'r',
    );
    expect(reasonOf({ status: 'FAILED', statusDetails: { errorCode: 'c', error: 'e' } })).toBe('e');
    expect(reasonOf({ status: 'REJECTED', statusDetails: { errorCode: 'c' } })).toBe('c');
    expect(reasonOf({ status: 'TIMED_OUT' })).toBe('no details (TIMED_OUT)');
  });

  it('groups most frequent first (ties by reason), counting statuses and naming up to five things', () => {
    const grouped = groupByReason([
      ...things('x', 7, 'FAILED', { reason: 'disk' }),
      ...things('y', 2, 'REJECTED', { reason: 'disk' }),
      ...things('z', 2, 'TIMED_OUT'),
      ...things('w', 2, 'FAILED', { reason: 'battery' }),
    ]);
    expect(grouped.map((g) => [g.reason, g.count, g.statuses])).toEqual([
      ['disk', 9, { FAILED: 7, REJECTED: 2 }],
      ['battery', 2, { FAILED: 2 }],
      ['no details (TIMED_OUT)', 2, { TIMED_OUT: 2 }],
    ]);
    expect(grouped[0]?.thingNames).toEqual(['x-0', 'x-1', 'x-2', 'x-3', 'x-4']);
  });

  it('describes a fixed sample across the waves’ jobs and says when more failed', async () => {
    const { deps, reader } = setUp();
    reader.jobs.set('r-w01', [
      ...things('a', 60, 'FAILED', { reason: 'disk' }),
      ...things('ok', 500, 'SUCCEEDED'),
    ]);
    reader.jobs.set('r-w01-r1', things('b', 30, 'REJECTED'));
    reader.jobs.set('r-w02', things('c', 300, 'TIMED_OUT'));
    const all = await failureReasons(deps, 'r', undefined);
    expect(all.sampledExecutions).toBe(FAILURE_SAMPLE);
    expect(all.truncated).toBe(true);
    expect(all.reasons.map((r) => [r.reason, r.count])).toEqual([
      ['disk', 60],
      ['no details (REJECTED)', 30],
      ['no details (TIMED_OUT)', FAILURE_SAMPLE - 90],
    ]);
    // Never more listed than the sample needs: one past it tells there were more.
    expect(reader.listed.at(-1)).toEqual({ jobId: 'r-w02', maxResults: FAILURE_SAMPLE + 1 - 90 });
    const first = await failureReasons(deps, 'r', 1);
    expect(first).toMatchObject({ sampledExecutions: 90, truncated: false });
  });
});

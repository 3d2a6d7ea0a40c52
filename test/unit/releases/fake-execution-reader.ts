/**
 * An in-memory AWS IoT for the routes on a wave's executions: executions
 * by job, paged like ListJobExecutionsForJob (optionally short pages, or
 * empty pages that still carry a token, as IoT may answer), described like
 * DescribeJobExecution (by attempt when one is named), with throttling of
 * either call and a count of the describes in flight.
 */
import { ThrottledError } from '../../../lib/domain/errors.js';
import type { ExecutionDetails, ExecutionListing, JobExecutionReader } from '../../../lib/releases/ports.js';

export interface FakeExecution {
  thingName: string;
  status: string;
  executionNumber?: number;
  statusDetails?: Record<string, string>;
}

/** `n` executions `<prefix>-<i>` in `status`, attempt 1. */
export const things = (prefix: string, n: number, status: string, statusDetails?: Record<string, string>) =>
  Array.from(
    { length: n },
    (_, i): FakeExecution => ({
      thingName: `${prefix}-${i}`,
      status,
      executionNumber: 1,
      ...(statusDetails && { statusDetails }),
    }),
  );

/** Tokens are `<offset>` or `empty:<offset>` (an empty page was answered there). */
export class FakeExecutionReader implements JobExecutionReader {
  readonly jobs = new Map<string, FakeExecution[]>();
  readonly listed: { jobId: string; status?: string; maxResults: number }[] = [];
  readonly described: { jobId: string; thingName: string; executionNumber?: number }[] = [];
  /** Most executions a page holds, whatever `maxResults` asked (a short page with a token). */
  pageCap = Number.POSITIVE_INFINITY;
  /** Jobs whose every page is empty with a token: a listing that never ends. */
  readonly emptyForever = new Set<string>();
  /** Things whose describe stays throttled. */
  readonly throttledThings = new Set<string>();
  throttleLists = false;
  /** Called as each list or describe call starts (a test's clock moves on). */
  onCall: (kind: 'list' | 'describe') => void = () => {};
  inFlight = 0;
  maxInFlight = 0;

  async listPage(
    jobId: string,
    options: { status?: string; maxResults: number; nextToken?: string },
  ): Promise<ExecutionListing> {
    this.onCall('list');
    this.listed.push({
      jobId,
      maxResults: options.maxResults,
      ...(options.status && { status: options.status }),
    });
    if (this.throttleLists) throw new ThrottledError('Rate exceeded for ListJobExecutionsForJob.');
    if (this.emptyForever.has(jobId)) return { executions: [], nextToken: 'empty:0' };
    const all = (this.jobs.get(jobId) ?? []).filter((e) => !options.status || e.status === options.status);
    const from = Number(options.nextToken ?? 0);
    const to = Math.min(from + options.maxResults, from + this.pageCap);
    return {
      executions: all.slice(from, to).map(({ thingName, status, executionNumber }) => ({
        thingName,
        status,
        ...(executionNumber !== undefined && { executionNumber }),
      })),
      ...(to < all.length && { nextToken: String(to) }),
    };
  }

  async describe(jobId: string, thingName: string, executionNumber?: number): Promise<ExecutionDetails> {
    this.onCall('describe');
    this.described.push({ jobId, thingName, ...(executionNumber !== undefined && { executionNumber }) });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    this.inFlight--;
    if (this.throttledThings.has(thingName))
      throw new ThrottledError('Rate exceeded for DescribeJobExecution.');
    // An attempt named must be that attempt; none named is the thing's latest.
    const found = (this.jobs.get(jobId) ?? [])
      .filter((e) => e.thingName === thingName)
      .filter((e) => executionNumber === undefined || e.executionNumber === executionNumber)
      .at(-1);
    if (!found) return { found: false };
    return { found: true, ...(found.statusDetails && { statusDetails: found.statusDetails }) };
  }
}

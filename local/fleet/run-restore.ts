/**
 * A job's run rebuilt from its executions, for a job put back from a
 * snapshot: what the simulator would have counted had it run the job from
 * the start, as far as the executions tell it. A snapshot that kept the run
 * itself (`JobRun.save`) then corrects what the executions cannot tell: the
 * attempts that were retried, and the failure type of each retry.
 */
import { executionStatuses, type JobServicePort } from '../iot/jobs/job-service-port.js';
import type { JobRun } from './job-run.js';
import { retriesUsedBefore } from './retry-rules.js';

/**
 * Fills a fresh run of a restored job: its tally from the executions' final
 * statuses, the things it notified and that succeeded, the retries each
 * thing used from its attempt number, and its queues. A QUEUED execution is
 * queued again, its first attempt as a first notification (a device that
 * was notified but had not started hears of it again), a later one as a
 * retry.
 */
export function rebuildRun(run: JobRun, port: JobServicePort): void {
  const { jobId } = run;
  const counts = port.counts(jobId);
  for (const status of ['SUCCEEDED', 'FAILED', 'REJECTED', 'TIMED_OUT'] as const)
    run.tally[status] = counts[status];
  run.succeededThings = counts.SUCCEEDED;
  // Every thing but those waiting for their first notification (or canceled or removed before it) was notified.
  run.notifiedThings =
    Object.values(counts).reduce((sum, n) => sum + n, 0) - counts.CANCELED - counts.REMOVED;
  const retryConfig = run.job.jobExecutionsRetryConfig;
  for (const status of executionStatuses) {
    for (const e of port.positions(jobId, status)) {
      const attempt = port.attemptAt(jobId, e, status);
      if (attempt > 1) Object.assign(run.retriesOf(e), retriesUsedBefore(retryConfig, attempt));
      if (status !== 'QUEUED') continue;
      if (attempt > 1) run.enqueueRetry(e);
      else {
        run.enqueue(e);
        run.notifiedThings--;
      }
    }
  }
}

/**
 * How jobs and executions look on the wire (the `Job`, `JobSummary`,
 * `JobExecution` and `JobExecutionSummary` shapes of the service model).
 */
import type { Clock } from '../../clock/clock.js';
import type { ArnFactory } from '../arn.js';
import { type ExecutionRecord, isActiveJob, type JobRecord } from '../jobs/job-records.js';
import { scheduledJobRollouts } from '../jobs/job-schedule.js';
import { epochSeconds } from './operation.js';

function jobProcessDetails(job: JobRecord) {
  const c = job.executions.counts();
  // AWS lists the targets still being rolled out; none once every execution left QUEUED.
  const rollingOut = job.status === 'IN_PROGRESS' && c.QUEUED > 0;
  return {
    processingTargets: rollingOut ? [...job.targets] : [],
    numberOfCanceledThings: c.CANCELED,
    numberOfSucceededThings: c.SUCCEEDED,
    numberOfFailedThings: c.FAILED,
    numberOfRejectedThings: c.REJECTED,
    numberOfQueuedThings: c.QUEUED,
    numberOfInProgressThings: c.IN_PROGRESS,
    numberOfRemovedThings: c.REMOVED,
    numberOfTimedOutThings: c.TIMED_OUT,
  };
}

/** The `job` member of DescribeJob; `now` dates the upcoming window starts (`scheduledJobRollouts`). */
export function jobView(job: JobRecord, now: number) {
  return {
    jobArn: job.jobArn,
    jobId: job.jobId,
    targetSelection: job.targetSelection,
    status: job.status,
    forceCanceled: job.forceCanceled,
    reasonCode: job.reasonCode,
    comment: job.comment,
    targets: [...job.targets],
    description: job.description,
    presignedUrlConfig: job.presignedUrlConfig,
    jobExecutionsRolloutConfig: job.jobExecutionsRolloutConfig,
    abortConfig: job.abortConfig,
    createdAt: epochSeconds(job.createdAt),
    lastUpdatedAt: epochSeconds(job.lastUpdatedAt),
    completedAt: epochSeconds(job.completedAt),
    jobProcessDetails: jobProcessDetails(job),
    timeoutConfig: job.timeoutConfig,
    namespaceId: job.namespaceId,
    jobTemplateArn: job.jobTemplateArn,
    jobExecutionsRetryConfig: job.jobExecutionsRetryConfig,
    documentParameters: job.documentParameters,
    isConcurrent: false,
    schedulingConfig: job.schedulingConfig,
    // Upcoming windows matter only while the job still rolls out.
    scheduledJobRollouts:
      isActiveJob(job) && !job.rolloutStopped ? scheduledJobRollouts(job.schedulingConfig, now) : undefined,
  };
}

/** A `JobSummary` of ListJobs; `thingGroupId` is set when the job targets a thing group. */
export function jobSummary(job: JobRecord, thingGroupId: string | undefined) {
  return {
    jobArn: job.jobArn,
    jobId: job.jobId,
    thingGroupId,
    targetSelection: job.targetSelection,
    status: job.status,
    createdAt: epochSeconds(job.createdAt),
    lastUpdatedAt: epochSeconds(job.lastUpdatedAt),
    completedAt: epochSeconds(job.completedAt),
    isConcurrent: false,
  };
}

export function executionSummary(e: ExecutionRecord) {
  return {
    status: e.status,
    queuedAt: epochSeconds(e.queuedAt),
    startedAt: epochSeconds(e.startedAt),
    lastUpdatedAt: epochSeconds(e.lastUpdatedAt),
    executionNumber: e.executionNumber,
    retryAttempt: e.retryAttempt,
  };
}

/** The `execution` member of DescribeJobExecution. */
export function executionView(job: JobRecord, e: ExecutionRecord, clock: Clock) {
  const timeoutMinutes = job.timeoutConfig?.inProgressTimeoutInMinutes;
  const timesOutAt =
    e.status === 'IN_PROGRESS' && e.startedAt !== undefined && timeoutMinutes !== undefined
      ? e.startedAt + timeoutMinutes * 60_000
      : undefined;
  return {
    jobId: e.jobId,
    status: e.status,
    forceCanceled: e.forceCanceled,
    statusDetails: e.statusDetails === undefined ? undefined : { detailsMap: { ...e.statusDetails } },
    thingArn: e.thingArn,
    queuedAt: epochSeconds(e.queuedAt),
    startedAt: epochSeconds(e.startedAt),
    lastUpdatedAt: epochSeconds(e.lastUpdatedAt),
    executionNumber: e.executionNumber,
    versionNumber: e.versionNumber,
    approximateSecondsBeforeTimedOut:
      timesOutAt === undefined ? undefined : Math.max(0, Math.round((timesOutAt - clock.now()) / 1000)),
  };
}

/** The id of the first thing group a job targets, for JobSummary. */
export function firstGroupId(
  job: JobRecord,
  arns: ArnFactory,
  groupId: (name: string) => string | undefined,
) {
  for (const target of job.targets) {
    const name = arns.idOf(target, 'thinggroup');
    if (name !== undefined) return groupId(name);
  }
  return undefined;
}

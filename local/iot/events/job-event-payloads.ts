/**
 * Payloads of the jobs events, field for field as AWS IoT documents them
 * ("Jobs events" in the developer guide): `timestamp` in epoch seconds, the
 * job times in epoch milliseconds, and `jobProcessDetails` with the terminal
 * counters.
 */
import { randomUUID } from 'node:crypto';
import type { ExecutionRecord, JobRecord } from '../jobs/job-records.js';

export type JobEventOperation =
  | 'completed'
  | 'canceled'
  | 'deleted'
  | 'cancellation_in_progress'
  | 'deletion_in_progress';

const jobEventStatus: Record<JobEventOperation, string> = {
  completed: 'COMPLETED',
  canceled: 'CANCELED',
  deleted: 'DELETED',
  cancellation_in_progress: 'CANCELLATION_IN_PROGRESS',
  deletion_in_progress: 'DELETION_IN_PROGRESS',
};

export function jobEventTopic(jobId: string, operation: JobEventOperation): string {
  return `$aws/events/job/${jobId}/${operation}`;
}

export function jobExecutionEventTopic(jobId: string, operation: string): string {
  return `$aws/events/jobExecution/${jobId}/${operation}`;
}

/** The payload of `$aws/events/job/{jobId}/{operation}`. */
export function jobEventPayload(job: JobRecord, operation: JobEventOperation, now: number): object {
  const counts = job.executions.counts();
  const withDetails = operation === 'completed' || operation === 'canceled';
  return {
    eventType: 'JOB',
    eventId: randomUUID(),
    timestamp: Math.floor(now / 1000),
    operation,
    jobId: job.jobId,
    status: jobEventStatus[operation],
    ...(job.forceCanceled && operation === 'canceled' ? { forceCanceled: true } : {}),
    targetSelection: job.targetSelection,
    targets: [...job.targets],
    ...(job.description === undefined ? {} : { description: job.description }),
    ...(job.completedAt === undefined || operation !== 'completed' ? {} : { completedAt: job.completedAt }),
    createdAt: job.createdAt,
    lastUpdatedAt: job.lastUpdatedAt,
    ...(job.reasonCode === undefined ? {} : { reasonCode: job.reasonCode }),
    ...(job.comment === undefined ? {} : { comment: job.comment }),
    ...(withDetails
      ? {
          jobProcessDetails: {
            numberOfCanceledThings: counts.CANCELED,
            numberOfRejectedThings: counts.REJECTED,
            numberOfFailedThings: counts.FAILED,
            numberOfRemovedThings: counts.REMOVED,
            numberOfSucceededThings: counts.SUCCEEDED,
            numberOfTimedOutThings: counts.TIMED_OUT,
          },
        }
      : {}),
  };
}

/**
 * The payload of `$aws/events/jobExecution/{jobId}/{operation}`. For
 * `deleted`, `status` is the status the execution had before the deletion,
 * as AWS reports it.
 */
export function jobExecutionEventPayload(execution: ExecutionRecord, operation: string, now: number): object {
  return {
    eventType: 'JOB_EXECUTION',
    eventId: randomUUID(),
    timestamp: Math.floor(now / 1000),
    operation,
    jobId: execution.jobId,
    thingArn: execution.thingArn,
    status: execution.status,
    ...(execution.statusDetails === undefined ? {} : { statusDetails: { ...execution.statusDetails } }),
  };
}

/**
 * The moves a job execution may make, as the AWS IoT Jobs state diagram
 * allows them: a device may report a terminal status straight from QUEUED
 * (it can skip IN_PROGRESS), only an IN_PROGRESS execution can time out, and
 * a terminal execution never moves again (a retry starts a new attempt
 * instead). IN_PROGRESS to IN_PROGRESS is a status-details update. What a
 * move and a retry change in an execution is the table's (`move`, `retry`);
 * the job store decides which executions move and tells the listeners.
 */
import { type ExecutionStatus, type JobStatus, terminalExecutionStatuses } from './job-service-port.js';

const legalMoves: Readonly<Record<ExecutionStatus, readonly ExecutionStatus[]>> = {
  QUEUED: ['IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'REJECTED', 'CANCELED', 'REMOVED'],
  IN_PROGRESS: ['IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'REJECTED', 'TIMED_OUT', 'CANCELED', 'REMOVED'],
  SUCCEEDED: [],
  FAILED: [],
  TIMED_OUT: [],
  REJECTED: [],
  REMOVED: [],
  CANCELED: [],
};

export function isLegalExecutionMove(from: ExecutionStatus, to: ExecutionStatus): boolean {
  return legalMoves[from].includes(to);
}

/** The `$aws/events/jobExecution/{jobId}/{operation}` operation for a terminal status. */
export function executionEventOperation(status: ExecutionStatus): string | undefined {
  return terminalExecutionStatuses.has(status) ? status.toLowerCase() : undefined;
}

/**
 * Whether an execution of a job in `jobStatus` may move from `from` to `to`:
 * a legal move, never while the job is being deleted, and leaving QUEUED for
 * anything but a cancel or removal (a device taking the job) only while the
 * job runs.
 */
export function mayMoveExecution(jobStatus: JobStatus, from: ExecutionStatus, to: ExecutionStatus): boolean {
  if (jobStatus === 'DELETION_IN_PROGRESS' || !isLegalExecutionMove(from, to)) return false;
  return from !== 'QUEUED' || to === 'CANCELED' || to === 'REMOVED' || jobStatus === 'IN_PROGRESS';
}

/** Whether a retry may start: the job runs and the last attempt FAILED or TIMED_OUT. */
export function mayRetryExecution(jobStatus: JobStatus, status: ExecutionStatus): boolean {
  return jobStatus === 'IN_PROGRESS' && (status === 'FAILED' || status === 'TIMED_OUT');
}

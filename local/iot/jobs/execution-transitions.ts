/**
 * The moves a job execution may make, as the AWS IoT Jobs state diagram
 * allows them: a device may report a terminal status straight from QUEUED
 * (it can skip IN_PROGRESS), only an IN_PROGRESS execution can time out, and
 * a terminal execution never moves again (a retry starts a new attempt
 * instead). IN_PROGRESS to IN_PROGRESS is a status-details update.
 */
import { type ExecutionStatus, terminalExecutionStatuses } from './job-service-port.js';

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

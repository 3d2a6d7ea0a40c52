/**
 * The dispatch table of the jobs data plane. StartCommandExecution, which
 * the same SDK client carries, belongs to AWS IoT commands, not jobs: it is
 * not here, and answers UnknownOperationException.
 */
import type { IotOperation } from '../../operations/operation.js';
import type { DataPlaneContext } from '../data-plane-context.js';
import { describeJobExecution } from './describe-job-execution.js';
import { getPendingJobExecutions } from './get-pending-job-executions.js';
import { startNextPendingJobExecution } from './start-next-pending-job-execution.js';
import { updateJobExecution } from './update-job-execution.js';

export const dataPlaneOperations: readonly IotOperation<DataPlaneContext>[] = [
  getPendingJobExecutions,
  startNextPendingJobExecution,
  describeJobExecution,
  updateJobExecution,
];

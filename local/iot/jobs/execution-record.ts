/**
 * One job execution as the job store hands it out: a copy made when asked
 * for (the store keeps its executions in columns, see execution-table.ts).
 * A leaf of types, so the table and the job records both depend on it
 * instead of on each other.
 */
import type { ExecutionStatus, SimExecution } from './job-service-port.js';

export interface ExecutionRecord extends SimExecution {
  readonly status: ExecutionStatus;
  readonly executionNumber: number;
  /** How many retries came before this attempt. */
  readonly retryAttempt: number;
  readonly queuedAt: number;
  readonly startedAt?: number;
  readonly lastUpdatedAt: number;
  readonly versionNumber: number;
  readonly statusDetails?: Readonly<Record<string, string>>;
  readonly forceCanceled?: boolean;
  /** Position of the execution in its job (creation order). */
  readonly createSeq: number;
  /** Sequence number the execution got when it entered its current status. */
  readonly statusSeq: number;
}

/**
 * Rebuilds a job record from what a snapshot kept (the local stack's
 * `--data-dir`): its executions back in the statuses they had, in their
 * creation order. An execution a device was running when the snapshot was
 * taken comes back IN_PROGRESS with the time its attempt started, in a
 * running job as in one that already ended (CancelJob without force, an
 * abort): the fleet simulator lets its device go on, so it ends when it
 * would have ended, or times out counted from that start.
 */
import type { ExecutionRecord } from './execution-record.js';
import { ExecutionTable, type ExecutionThings } from './execution-table.js';
import type { JobRecord } from './job-records.js';

/** A job as a snapshot keeps it: everything but its list position and its table. */
export type SavedJob = Omit<JobRecord, 'seq' | 'executions'>;

/**
 * The job's record at list position `seq`, with a fresh execution table
 * filled from `executions`; `things` as the table takes them.
 */
export function rebuildJob(
  job: SavedJob,
  executions: readonly ExecutionRecord[],
  seq: number,
  things: ExecutionThings,
): JobRecord {
  const table = new ExecutionTable(job.jobId, things);
  const record: JobRecord = { ...structuredClone(job), seq, executions: table };
  for (const saved of executions) {
    const e = table.add(saved.thingName, saved.queuedAt);
    if (e === undefined) continue;
    table.restore(e, saved);
  }
  return record;
}

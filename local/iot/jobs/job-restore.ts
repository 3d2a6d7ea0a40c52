/**
 * Rebuilds a job record from what a snapshot kept (the local stack's
 * `--data-dir`): its executions back in the statuses they had, in their
 * creation order. An execution a device was running when the snapshot was
 * taken comes back QUEUED, so the device starts its attempt again; in a job
 * that already ended, it stays as it was.
 */
import { ExecutionTable } from './execution-table.js';
import { type ExecutionRecord, isActiveJob, type JobRecord } from './job-records.js';

/** A job as a snapshot keeps it: everything but its list position and its table. */
export type SavedJob = Omit<JobRecord, 'seq' | 'executions'>;

/** The job's record at list position `seq`, with a fresh execution table filled from `executions`. */
export function rebuildJob(job: SavedJob, executions: readonly ExecutionRecord[], seq: number): JobRecord {
  const table = new ExecutionTable(job.jobId);
  const record: JobRecord = { ...structuredClone(job), seq, executions: table };
  const running = isActiveJob(record);
  for (const saved of executions) {
    const restored = table.add(saved.thingName, saved.thingArn, saved.queuedAt);
    if (!restored) continue;
    const { createSeq: _c, statusSeq: _s, status, ...rest } = saved;
    Object.assign(restored, structuredClone(rest));
    if (running && status === 'IN_PROGRESS') restored.startedAt = undefined;
    else table.setStatus(restored, status);
  }
  return record;
}

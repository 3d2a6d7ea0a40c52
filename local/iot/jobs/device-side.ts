/**
 * The job store's side facing devices (the HTTPS jobs data plane and the
 * MQTT jobs topics, through ../device-jobs/): which executions a device may
 * see, the moves it makes, and who hears that a device's queue changed.
 *
 * The store owns the jobs and every move; this keeps what only devices
 * need: the attempts the rollout released to external things
 * (device-releases.ts), the jobs in which a device can still find
 * something pending, and the queue listeners (`notify`, `notify-next`).
 */
import type { ExternalThings } from '../registry/external-things.js';
import { DeviceReleases } from './device-releases.js';
import { mayMoveExecution } from './execution-transitions.js';
import { isActiveJob, type JobRecord } from './job-records.js';
import type { ExecutionStatus, JobLifecycleListener } from './job-service-port.js';

/** What the device side needs of the store. */
export interface DeviceSideHost {
  /** The job now held under `jobId`, if any. */
  jobOf(jobId: string): JobRecord | undefined;
  /** Moves an execution the way every move goes (counters, events, then {@link DeviceSide.queueChanged}). */
  move(job: JobRecord, position: number, to: ExecutionStatus, details?: Record<string, string>): void;
  /** The store's lifecycle listeners, as they are now. */
  listeners(): readonly JobLifecycleListener[];
}

export class DeviceSide {
  private readonly releases = new DeviceReleases();
  private readonly queueListeners = new Set<(thingName: string) => void>();
  /**
   * Jobs that may still hold a QUEUED or IN_PROGRESS execution. A job leaves
   * once it has ended with none left (nothing reopens an ended job's
   * executions) or is gone, so device requests pass over the ended jobs a
   * long-running stack piles up (one per wave) without reading each one.
   */
  private readonly unsettled = new Set<JobRecord>();

  constructor(
    private readonly external: ExternalThings,
    private readonly host: DeviceSideHost,
  ) {}

  /** A job the store just created or put back. */
  added(job: JobRecord): void {
    this.unsettled.add(job);
  }

  /** The rollout reached an external thing's execution: its device may see it from now on. */
  release(job: JobRecord, position: number, executionNumber: number): void {
    this.releases.release(job.jobId, position, executionNumber);
    this.queueChanged(job, position);
  }

  /** A job is gone (DeleteJob): its executions leave their devices' queues. */
  deleted(job: JobRecord): void {
    this.unsettled.delete(job);
    this.releases.forget(job.jobId);
    for (const e of job.executions.positions()) this.queueChanged(job, e);
  }

  /**
   * The jobs that hold a QUEUED or IN_PROGRESS execution, in no set order:
   * the only ones in which a device can find something pending.
   */
  jobsWithOpenExecutions(): JobRecord[] {
    const open: JobRecord[] = [];
    for (const job of this.unsettled) {
      if (this.host.jobOf(job.jobId) !== job) this.unsettled.delete(job);
      else if (job.executions.openCount() > 0) open.push(job);
      else if (!isActiveJob(job)) this.unsettled.delete(job);
    }
    return open;
  }

  /**
   * Whether the thing's device may see the execution at `position`: it
   * took it (IN_PROGRESS) and the job is not being deleted, or it is QUEUED
   * in a running job and, for an external thing, the rollout reached this
   * attempt.
   */
  visibleToDevice(job: JobRecord, position: number): boolean {
    const table = job.executions;
    const status = table.statusAt(position);
    // A job being deleted offers nothing: its executions answer TerminalStateException.
    if (job.status === 'DELETION_IN_PROGRESS') return false;
    if (status === 'IN_PROGRESS') return true;
    if (status !== 'QUEUED' || job.status !== 'IN_PROGRESS') return false;
    return (
      !this.external.has(table.thingKeyAt(position)) ||
      this.releases.releasedAttempt(job.jobId, position) === table.executionNumberAt(position)
    );
  }

  /**
   * A move a device asked for (or its step timer made): checked as every
   * move is, then told to the listeners (`executionMovedByDevice`) so the
   * simulator applies the job's rules to it. False, changing nothing, when
   * the move is not allowed.
   */
  moveForDevice(
    job: JobRecord,
    position: number,
    to: ExecutionStatus,
    statusDetails?: Record<string, string>,
  ): boolean {
    const from = job.executions.statusAt(position);
    if (!mayMoveExecution(job.status, from, to)) return false;
    this.host.move(job, position, to, statusDetails);
    const executionNumber = job.executions.executionNumberAt(position);
    for (const listener of this.host.listeners()) {
      listener.executionMovedByDevice?.(job.jobId, position, executionNumber, from, to);
    }
    return true;
  }

  /**
   * Calls `listener` with the thing's name whenever the pending queue of an
   * external thing may have changed: an execution released to it, moved, or
   * deleted. Returns the unsubscribe function.
   */
  onQueueChange(listener: (thingName: string) => void): () => void {
    this.queueListeners.add(listener);
    return () => {
      this.queueListeners.delete(listener);
    };
  }

  /**
   * A thing is no longer external: its QUEUED executions the rollout had
   * released to its device go back to the simulator (an IN_PROGRESS one is
   * left to end by its device or its timeout).
   */
  thingReturned(thingName: string): void {
    for (const job of this.jobsWithOpenExecutions()) {
      if (job.status !== 'IN_PROGRESS') continue;
      const e = job.executions.indexOf(thingName);
      if (e === undefined || job.executions.statusAt(e) !== 'QUEUED') continue;
      const attempt = job.executions.executionNumberAt(e);
      if (this.releases.releasedAttempt(job.jobId, e) !== attempt) continue;
      for (const listener of this.host.listeners()) {
        listener.executionReturnedToSimulator?.(job.jobId, e, attempt);
      }
    }
  }

  /** Tells the queue listeners when the execution at `position` belongs to an external thing. */
  queueChanged(job: JobRecord, position: number): void {
    if (this.queueListeners.size === 0) return;
    const table = job.executions;
    if (!this.external.has(table.thingKeyAt(position))) return;
    const thingName = table.thingNameAt(position);
    for (const listener of [...this.queueListeners]) listener(thingName);
  }
}

/**
 * The clock timers of scheduled jobs: one at the start of a SCHEDULED job
 * (or, when no window opens within two years, one there to look again), one
 * at the end time of a job that has one. A job that ends earlier
 * (completed, canceled, deleted) has its timers taken back, so an idle
 * stack in `max` time mode does not jump to an end time nobody waits for.
 */
import { OPENING_HORIZON_MS } from '../../../lib/domain/maintenance-windows.js';
import type { SchedulingClock, TimerHandle } from '../../clock/clock.js';
import type { JobRecord } from './job-records.js';
import { rolloutEnd, rolloutStart } from './job-schedule.js';

/** What the timers call, by job id. */
export interface ScheduleHandlers {
  /** The start of a SCHEDULED job has come. */
  start(jobId: string): void;
  /** The end time of a running or scheduled job has come. */
  end(jobId: string): void;
}

export class ScheduleTimers {
  private readonly timers = new Map<string, TimerHandle[]>();

  constructor(
    private readonly clock: SchedulingClock,
    private readonly handlers: ScheduleHandlers,
  ) {}

  /** Sets the timers of an active job (created now, or put back from a snapshot); none for an unscheduled one. */
  arm(job: JobRecord): void {
    const config = job.schedulingConfig;
    if (config === undefined) return;
    const handles: TimerHandle[] = [];
    if (job.status === 'SCHEDULED') {
      const now = this.clock.now();
      const start = rolloutStart(config, job.createdAt, now);
      if (start !== undefined) {
        handles.push(this.clock.schedule(start, () => this.handlers.start(job.jobId)));
      } else {
        // No window opens within the horizon: look again there, rather than leave the job SCHEDULED for good.
        handles.push(this.clock.schedule(now + OPENING_HORIZON_MS, () => this.recheck(job)));
      }
    }
    const end = rolloutEnd(config);
    if (end !== undefined && !job.rolloutStopped) {
      handles.push(this.clock.schedule(end, () => this.handlers.end(job.jobId)));
    }
    if (handles.length > 0) this.timers.set(job.jobId, handles);
  }

  /** Sets the timers of a SCHEDULED job again, from now: its windows may open within the next horizon. */
  private recheck(job: JobRecord): void {
    this.disarm(job.jobId);
    this.arm(job);
  }

  /** Takes back the job's timers (it ended, or is being deleted). */
  disarm(jobId: string): void {
    for (const handle of this.timers.get(jobId) ?? []) this.clock.cancel(handle);
    this.timers.delete(jobId);
  }
}

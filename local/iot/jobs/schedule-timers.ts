/**
 * The clock timers of scheduled jobs: one at the start of a SCHEDULED job,
 * one at the end time of a job that has one. A job that ends earlier
 * (completed, canceled, deleted) has its timers taken back, so an idle
 * stack in `max` time mode does not jump to an end time nobody waits for.
 */
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
      const start = rolloutStart(config, job.createdAt);
      // A start that never comes (windows that never open) sets no timer: the end time, if any, ends the job.
      if (start !== undefined) handles.push(this.clock.schedule(start, () => this.handlers.start(job.jobId)));
    }
    const end = rolloutEnd(config);
    if (end !== undefined && !job.rolloutStopped) {
      handles.push(this.clock.schedule(end, () => this.handlers.end(job.jobId)));
    }
    if (handles.length > 0) this.timers.set(job.jobId, handles);
  }

  /** Takes back the job's timers (it ended, or is being deleted). */
  disarm(jobId: string): void {
    for (const handle of this.timers.get(jobId) ?? []) this.clock.cancel(handle);
    this.timers.delete(jobId);
  }
}

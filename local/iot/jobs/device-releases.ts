/**
 * Which attempts of external things' executions the rollout has reached.
 *
 * A real device sees a QUEUED execution (in GetPendingJobExecutions,
 * `start-next`, `notify`) only once the job's rollout notifies its thing,
 * as AWS's rollout rate and maintenance windows pace what devices are told.
 * The fleet simulator decides when that is and says so through the port
 * (`releaseToDevice`); this remembers it per job and position, with the
 * execution number, so a retry's new attempt waits for its own
 * notification. Only external things are recorded: a simulated device is
 * played by the simulator, and its QUEUED executions are visible as they are.
 */
export class DeviceReleases {
  private readonly byJob = new Map<string, Map<number, number>>();

  /** The rollout reached the thing at `position` for attempt `executionNumber`. */
  release(jobId: string, position: number, executionNumber: number): void {
    let job = this.byJob.get(jobId);
    if (job === undefined) {
      job = new Map();
      this.byJob.set(jobId, job);
    }
    job.set(position, executionNumber);
  }

  /** The attempt last released at `position`, 0 for none. */
  releasedAttempt(jobId: string, position: number): number {
    return this.byJob.get(jobId)?.get(position) ?? 0;
  }

  /** Forgets a job (it was deleted). */
  forget(jobId: string): void {
    this.byJob.delete(jobId);
  }
}

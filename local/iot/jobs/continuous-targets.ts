/**
 * Which running CONTINUOUS jobs target which thing groups, so that a thing
 * joining a group finds the jobs it now belongs to without a scan of all
 * jobs. Membership events name the group joined and its ancestors, so only
 * the groups a job names are indexed.
 */
export class ContinuousTargets {
  private readonly byGroup = new Map<string, Set<string>>();
  private readonly jobs = new Set<string>();

  /** True while no CONTINUOUS job runs: a thing joining a group then concerns nobody. */
  get empty(): boolean {
    return this.jobs.size === 0;
  }

  add(jobId: string, groups: readonly string[]): void {
    this.jobs.add(jobId);
    for (const group of groups) {
      let jobIds = this.byGroup.get(group);
      if (!jobIds) {
        jobIds = new Set();
        this.byGroup.set(group, jobIds);
      }
      jobIds.add(jobId);
    }
  }

  remove(jobId: string): void {
    this.jobs.delete(jobId);
    for (const jobIds of this.byGroup.values()) jobIds.delete(jobId);
  }

  /** Ids of the jobs that target any of `groups`, each once. */
  jobsTargeting(groups: readonly string[]): Set<string> {
    const out = new Set<string>();
    for (const group of groups) for (const jobId of this.byGroup.get(group) ?? []) out.add(jobId);
    return out;
  }
}

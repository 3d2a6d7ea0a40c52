/**
 * What the release workflow's use cases need from the outside world, as
 * small interfaces: the release store (DynamoDB), the wave's IoT job, the
 * cohort thing groups, the job template, and the notification channel.
 * `lib/adapters` implements them over the AWS SDK; unit tests fake them.
 * Every method throws domain errors only (their `name` is what the state
 * machine's Retry and Catch match).
 */
import type { SchedulingConfig } from '../domain/iot-job-settings.js';
import type { MaintenanceWindow } from '../domain/maintenance-windows.js';
import type { AnyNotificationEvent } from '../domain/notifications.js';
import type { ReleaseStore } from '../domain/release-store.js';
import type { WaveJobOverrides } from '../domain/wave-job.js';
import type { JobProcessCounts } from '../domain/wave-progress.js';

/** Everything CreateJob needs for one wave. */
export interface WaveJobRequest {
  /** `waveJobId(releaseId, waveNumber)`. */
  jobId: string;
  jobTemplateArn: string;
  /** Thing and thing-group ARNs (1–100). */
  targets: string[];
  overrides: WaveJobOverrides;
  description: string;
  /** The wave's maintenance windows and the release's end (`jobSchedulingConfig`); absent: none sent. */
  schedulingConfig?: SchedulingConfig | undefined;
}

/** What DescribeJob tells the workflow about a job. */
export interface WaveJobView {
  jobId: string;
  jobArn: string;
  /** IN_PROGRESS, COMPLETED, CANCELED, DELETION_IN_PROGRESS or SCHEDULED. */
  status: string;
  /** Absent for a job not created from a template. */
  jobTemplateArn?: string;
  targets: string[];
  counts: JobProcessCounts;
  /** Why the job was canceled, as IoT says (an abort sets its own); absent otherwise. */
  reasonCode?: string;
  comment?: string;
}

/** One job execution as ListJobExecutionsForJob lists it. */
export interface JobExecutionSummary {
  thingName: string;
  /** QUEUED, IN_PROGRESS, SUCCEEDED, FAILED, TIMED_OUT, REJECTED, REMOVED or CANCELED. */
  status: string;
}

/** One page of a job's executions; `nextToken` only when more follow. */
export interface JobExecutionPage {
  executions: JobExecutionSummary[];
  nextToken?: string;
}

/** The IoT jobs of waves. */
export interface WaveJobs {
  /**
   * CreateJob. `created: false` when a job with this id already exists (the
   * caller must check it is its own before adopting it).
   * @throws NotFoundError (template or target missing), ValidationError, ThrottledError, UpstreamError
   */
  create(request: WaveJobRequest): Promise<{ created: boolean; jobArn?: string }>;
  /** DescribeJob. @throws NotFoundError, ThrottledError, UpstreamError */
  describe(jobId: string): Promise<WaveJobView>;
  /**
   * CancelJob: QUEUED executions are canceled; IN_PROGRESS ones run to
   * their end, unless `force` (a person canceling through the API asked for it). False when the job had already ended (completed
   * or canceled): nothing to do.
   * @throws NotFoundError, ThrottledError, UpstreamError
   */
  cancel(jobId: string, why: { reasonCode: string; comment: string; force?: boolean }): Promise<boolean>;
  /**
   * ListJobExecutionsForJob, every page (250 a page), optionally only the executions in `status`.
   * @throws NotFoundError (no such job), ThrottledError, UpstreamError
   */
  listExecutions(jobId: string, status?: string): Promise<JobExecutionSummary[]>;
  /**
   * One page of ListJobExecutionsForJob (up to 250), for a caller that spreads a long listing
   * over several invocations. @throws NotFoundError, ThrottledError, UpstreamError
   */
  listExecutionsPage(
    jobId: string,
    options?: { status?: string; nextToken?: string },
  ): Promise<JobExecutionPage>;
}

/** Static thing groups: the release fleet's membership and the cohorts. */
export interface ThingGroups {
  /** CreateThingGroup; a group that already exists is kept as it is. @throws ThrottledError, UpstreamError */
  ensure(thingGroupName: string, description: string): Promise<void>;
  /** ListThingsInThingGroup, every page. @throws NotFoundError, ThrottledError, UpstreamError */
  listThings(thingGroupName: string, options: { recursive: boolean }): Promise<string[]>;
  /** AddThingToThingGroup; adding a member again is a no-op. @throws NotFoundError, ThrottledError, UpstreamError */
  addThing(thingGroupName: string, thingName: string): Promise<void>;
  /** DescribeThing: false when the registry no longer has the thing. @throws ThrottledError, UpstreamError */
  thingExists(thingName: string): Promise<boolean>;
  /**
   * DeleteThingGroup: the group and its memberships go, its things stay. A
   * group that does not exist is no error. @throws ThrottledError, UpstreamError
   */
  delete(thingGroupName: string): Promise<void>;
  /** DescribeThingGroup: its description, or undefined when there is no such group. @throws ThrottledError, UpstreamError */
  describe(thingGroupName: string): Promise<{ description?: string } | undefined>;
}

/** What the workflow needs of a job template: its ARN, and the windows IoT gives its jobs. */
interface ResolvedTemplate {
  jobTemplateArn: string;
  /** The template's own maintenance windows, when it has some. */
  maintenanceWindows?: MaintenanceWindow[] | undefined;
}

/** The job template a release rolls out. */
interface JobTemplates {
  /** DescribeJobTemplate. @throws NotFoundError, ThrottledError, UpstreamError */
  resolve(jobTemplateId: string): Promise<ResolvedTemplate>;
}

/** Where the workflow's events go (EventBridge). Publishing again is harmless: consumers deduplicate by `notificationId`. */
export interface Notifier {
  /** @throws ThrottledError, UpstreamError */
  publish(event: AnyNotificationEvent): Promise<void>;
}

/** Everything a workflow task may use. */
export interface WorkflowDeps {
  store: ReleaseStore;
  jobs: WaveJobs;
  groups: ThingGroups;
  templates: JobTemplates;
  notifier: Notifier;
}

/**
 * What the release API's use cases need besides the release store, as small
 * interfaces: the workflow's executions (Step Functions), the wave jobs
 * (AWS IoT) and the job templates. `lib/adapters` implements them over the
 * AWS SDK; unit tests fake them. Every method throws domain errors only.
 */
import type { JobTemplateStore } from '../domain/job-template.js';
import type { ReleaseStore } from '../domain/release-store.js';
import type { TargetKind } from '../domain/release-targets.js';
import type { ThingGroups } from '../workflow/ports.js';

/** What StartExecution did. */
export interface ExecutionStart {
  executionArn: string;
  /** False when an execution of this name had already ended: the release ran, nothing was started. */
  started: boolean;
}

/** `not-started`: no execution of this name exists (the release never got as far as starting it). */
export type StopOutcome = 'stopped' | 'not-started';

/** `task-gone`: the task no longer waits for this token (answered, timed out or its execution ended). */
export type SendOutcome = 'delivered' | 'task-gone';

/** The release state machine's executions; one per release, named by its id. */
export interface ReleaseExecutions {
  /** The ARN the release's execution has (or will have). */
  executionArn(releaseId: string): string;
  /**
   * StartExecution with input `{"releaseId": ...}`. Idempotent: the same
   * release's running execution is answered again, not started twice.
   * @throws ThrottledError, UpstreamError
   */
  start(releaseId: string): Promise<ExecutionStart>;
  /** StopExecution; stopping an ended execution changes nothing. @throws ThrottledError, UpstreamError */
  stop(releaseId: string, why: { error: string; cause: string }): Promise<StopOutcome>;
  /** True while the release's execution runs (DescribeExecution). @throws ThrottledError, UpstreamError */
  isRunning(releaseId: string): Promise<boolean>;
  /** SendTaskSuccess with `output` as JSON. @throws ThrottledError, UpstreamError */
  sendTaskSuccess(taskToken: string, output: object): Promise<SendOutcome>;
  /** SendTaskFailure. @throws ThrottledError, UpstreamError */
  sendTaskFailure(taskToken: string, why: { error: string; cause: string }): Promise<SendOutcome>;
}

/** Cancels a wave's IoT job (the shape of the workflow's `WaveJobs.cancel`, plus `force`). */
export interface ReleaseJobCanceller {
  /**
   * CancelJob; with `force`, IN_PROGRESS executions are canceled too. False
   * when the job had already ended. @throws NotFoundError, ThrottledError, UpstreamError
   */
  cancel(jobId: string, why: { reasonCode: string; comment: string; force?: boolean }): Promise<boolean>;
}

/** Looks job templates up (DescribeJobTemplate). */
export type JobTemplateLookup = Pick<JobTemplateStore, 'describe'>;

/** The IoT registry, asked whether a release's thing groups and things exist. */
export interface TargetRegistry {
  /**
   * DescribeThingGroup (`thingGroup`) or DescribeThing (`thing`): false when
   * IoT has no such entry. @throws ThrottledError, UpstreamError
   */
  exists(kind: TargetKind, name: string): Promise<boolean>;
}

/** Who asked, and the request's clock. */
export interface RequestMeta {
  /** Epoch ms now, on the API's clock (API Gateway's request time, virtual on the local stack). */
  now: () => number;
  /** The caller's identity when API Gateway verified one (the IAM principal on AWS). */
  actor?: string;
  /** Where a use case reports what went wrong without changing its answer (the handler's logger). */
  warn?: (message: string, fields: Record<string, unknown>) => void;
}

/** Everything a release use case may use; each takes only the members it calls. */
export interface ReleaseApiDeps {
  store: ReleaseStore;
  executions: ReleaseExecutions;
  jobs: ReleaseJobCanceller;
  templates: JobTemplateLookup;
  registry: TargetRegistry;
  /** The static thing groups a canceled release created, deleted once its execution is stopped. */
  groups: Pick<ThingGroups, 'delete' | 'describe'>;
}

/** One job execution as ListJobExecutionsForJob lists it, times as ISO-8601. */
export interface ExecutionRow {
  thingName: string;
  status: string;
  executionNumber?: number;
  queuedAt?: string;
  startedAt?: string;
  lastUpdatedAt?: string;
}

/** One page of ListJobExecutionsForJob. */
export interface ExecutionListing {
  executions: ExecutionRow[];
  /** IoT's own token; absent on the last page. */
  nextToken?: string;
}

/** What DescribeJobExecution tells of one execution: `found: false` when it is gone. */
export interface ExecutionDetails {
  found: boolean;
  statusDetails?: Record<string, string>;
}

/** A wave job's executions, read for the API (AWS IoT). */
export interface JobExecutionReader {
  /**
   * One page of ListJobExecutionsForJob (`maxResults` 1–250), optionally of
   * one status. @throws NotFoundError (no such job), ValidationError (a token IoT
   * refuses), ThrottledError, UpstreamError
   */
  listPage(
    jobId: string,
    options: { status?: string; maxResults: number; nextToken?: string },
  ): Promise<ExecutionListing>;
  /**
   * DescribeJobExecution of the thing's attempt `executionNumber` (the
   * current one when absent). @throws ThrottledError, UpstreamError
   */
  describe(jobId: string, thingName: string, executionNumber?: number): Promise<ExecutionDetails>;
}

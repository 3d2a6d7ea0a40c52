/**
 * The job store's own records, and the requests that create and cancel
 * them. The records satisfy the read-only views the fleet simulator gets
 * through the port ({@link SimJob}, and `SimExecution` for the executions
 * its table holds), and carry the rest of what DescribeJob and
 * DescribeJobExecution return.
 */
import type {
  AbortConfig,
  JobExecutionsRetryConfig,
  JobExecutionsRolloutConfig,
  PresignedUrlConfig,
  SchedulingConfig,
  Tag,
  TimeoutConfig,
} from '../../../lib/domain/iot-job-settings.js';
import type { ExecutionTable } from './execution-table.js';
import type { JobStatus, SimJob } from './job-service-port.js';

export type { ExecutionRecord } from './execution-record.js';

/** The settings a job template fixes and a job inherits. */
export interface JobSettings {
  document?: string;
  documentSource?: string;
  presignedUrlConfig?: PresignedUrlConfig;
  jobExecutionsRolloutConfig?: JobExecutionsRolloutConfig;
  abortConfig?: AbortConfig;
  timeoutConfig?: TimeoutConfig;
  jobExecutionsRetryConfig?: JobExecutionsRetryConfig;
}

export interface JobRecord extends SimJob, Readonly<JobSettings> {
  status: JobStatus;
  description?: string;
  jobTemplateArn?: string;
  namespaceId?: string;
  documentParameters?: Record<string, string>;
  tags?: Tag[];
  lastUpdatedAt: number;
  completedAt?: number;
  forceCanceled?: boolean;
  reasonCode?: string;
  comment?: string;
  /** Set when the end time stopped the rollout (`endBehavior` STOP_ROLLOUT): no device is notified any more. */
  rolloutStopped?: boolean;
  /** Position in the job list (ListJobs order). */
  readonly seq: number;
  readonly executions: ExecutionTable;
}

/** Whether a job still takes executions forward (IN_PROGRESS or SCHEDULED): it counts against the active-job limit. */
export function isActiveJob(job: Pick<JobRecord, 'status'>): boolean {
  return job.status === 'IN_PROGRESS' || job.status === 'SCHEDULED';
}

/** What CreateJob asks for, with the template already merged in. */
export interface CreateJobSpec extends JobSettings {
  jobId: string;
  targets: string[];
  targetSelection: 'CONTINUOUS' | 'SNAPSHOT';
  description?: string;
  jobTemplateArn?: string;
  namespaceId?: string;
  documentParameters?: Record<string, string>;
  tags?: JobRecord['tags'];
  /** With the template's maintenance windows already inherited. */
  schedulingConfig?: SchedulingConfig;
}

export interface CancelJobRequest {
  force: boolean;
  reasonCode?: string;
  comment?: string;
}

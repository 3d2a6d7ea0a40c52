/**
 * Job templates as the API sees them: AWS IoT's own field names, with
 * `createdAt` as an ISO 8601 string (UTC) rather than IoT's epoch seconds, so
 * JSON callers get an unambiguous, readable time.
 */
import * as z from 'zod';
import {
  type AbortConfig,
  type CreateJobTemplateBody,
  type JobExecutionsRetryConfig,
  type JobExecutionsRolloutConfig,
  jobSettingsSchemas,
  type PresignedUrlConfig,
  resourceIdSchema,
  type TimeoutConfig,
} from './iot-job-settings.js';
import { pageLimitQuery } from './page-limit-query.js';

// Marked pure: a bundle that never validates a template request (all but createJobTemplate) drops it.
/** POST /job-templates body: CreateJobTemplate's fields plus the template's id. Unknown fields are errors. */
export const createJobTemplateRequestSchema = /* @__PURE__ */ jobSettingsSchemas(
  'strict',
).createJobTemplateBody.safeExtend({
  jobTemplateId: resourceIdSchema,
});

/** Path parameters of the routes on one template. */
export const jobTemplatePathSchema = z.object({ jobTemplateId: resourceIdSchema });

/** Largest page ListJobTemplates serves (its `maxResults` range is 1–250). */
const maxJobTemplatePageSize = 250;

/** Query of GET /job-templates: `limit` (1–250) and the opaque `nextToken` of the previous page. */
export const listJobTemplatesQuerySchema = z.object({
  limit: pageLimitQuery(maxJobTemplatePageSize).optional(),
  nextToken: z.string().min(1, 'must not be empty').optional(),
});

/** What CreateJobTemplate answers. */
export interface CreatedJobTemplate {
  jobTemplateId: string;
  jobTemplateArn: string;
}

/** One template in a list. */
export interface JobTemplateSummary {
  jobTemplateId: string;
  jobTemplateArn: string;
  description?: string;
  /** ISO 8601, UTC. */
  createdAt?: string;
}

/** Every field DescribeJobTemplate returns. */
export interface JobTemplate extends JobTemplateSummary {
  document?: string;
  documentSource?: string;
  presignedUrlConfig?: PresignedUrlConfig;
  jobExecutionsRolloutConfig?: JobExecutionsRolloutConfig;
  abortConfig?: AbortConfig;
  timeoutConfig?: TimeoutConfig;
  jobExecutionsRetryConfig?: JobExecutionsRetryConfig;
  maintenanceWindows?: { startTime: string; durationInMinutes: number }[];
  destinationPackageVersions?: string[];
}

/** One page of templates; `nextToken` is absent on the last page. */
export interface JobTemplatePage {
  items: JobTemplateSummary[];
  nextToken?: string;
}

/** Where job templates live (AWS IoT). Throws domain errors only. */
export interface JobTemplateStore {
  create(jobTemplateId: string, settings: CreateJobTemplateBody): Promise<CreatedJobTemplate>;
  describe(jobTemplateId: string): Promise<JobTemplate>;
  list(page: { limit?: number; nextToken?: string }): Promise<JobTemplatePage>;
  delete(jobTemplateId: string): Promise<void>;
}

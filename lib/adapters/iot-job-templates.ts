/**
 * Job templates in AWS IoT: the {@link JobTemplateStore} over
 * `@aws-sdk/client-iot`. Maps IoT's shapes to the API's (dates to ISO
 * strings, no SDK metadata) and IoT's exceptions to domain errors.
 */
import {
  CreateJobTemplateCommand,
  DeleteJobTemplateCommand,
  DescribeJobTemplateCommand,
  type DescribeJobTemplateResponse,
  type IoTClient,
  type JobTemplateSummary as IotJobTemplateSummary,
  ListJobTemplatesCommand,
} from '@aws-sdk/client-iot';
import { perConfig } from '../config.js';
import { UpstreamError } from '../domain/errors.js';
import type { CreateJobTemplateBody } from '../domain/iot-job-settings.js';
import type {
  CreatedJobTemplate,
  JobTemplate,
  JobTemplatePage,
  JobTemplateStore,
  JobTemplateSummary,
} from '../domain/job-template.js';
import { iotClient } from './iot-client.js';
import { fromIotError } from './iot-errors.js';

/** What the adapter needs from the configuration. */
export interface IotJobTemplatesConfig {
  /** `Retry-After` seconds when IoT keeps throttling. */
  throttleRetryAfterSeconds: number;
}

function iso(date: Date | undefined): string | undefined {
  return date === undefined ? undefined : date.toISOString();
}

/** Drops `undefined` members so the JSON answer carries only what IoT returned. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function required(value: string | undefined, field: string): string {
  if (value === undefined) throw new UpstreamError(`AWS IoT answered without ${field}.`, 'MalformedResponse');
  return value;
}

function toSummary(t: IotJobTemplateSummary): JobTemplateSummary {
  return defined({
    jobTemplateId: required(t.jobTemplateId, 'jobTemplateId'),
    jobTemplateArn: required(t.jobTemplateArn, 'jobTemplateArn'),
    description: t.description,
    createdAt: iso(t.createdAt),
  });
}

function toJobTemplate(out: DescribeJobTemplateResponse): JobTemplate {
  const {
    $metadata: _,
    createdAt,
    maintenanceWindows,
    ...rest
  } = out as DescribeJobTemplateResponse & {
    $metadata?: unknown;
  };
  return defined({
    ...rest,
    ...toSummary(out),
    createdAt: iso(createdAt),
    maintenanceWindows: maintenanceWindows?.map((w) => ({
      startTime: w.startTime ?? '',
      durationInMinutes: w.durationInMinutes ?? 0,
    })),
  }) as JobTemplate;
}

/** {@link JobTemplateStore} on an `IoTClient`; every method throws domain errors only. */
export class IotJobTemplates implements JobTemplateStore {
  constructor(
    private readonly client: IoTClient,
    private readonly config: IotJobTemplatesConfig,
  ) {}

  /** Runs one IoT call, translating its exception. */
  private async call<T>(resourceId: string | undefined, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw fromIotError(error, { resourceId, retryAfterSeconds: this.config.throttleRetryAfterSeconds });
    }
  }

  async create(jobTemplateId: string, settings: CreateJobTemplateBody): Promise<CreatedJobTemplate> {
    const out = await this.call(jobTemplateId, () =>
      this.client.send(new CreateJobTemplateCommand({ ...settings, jobTemplateId })),
    );
    return {
      jobTemplateId: required(out.jobTemplateId, 'jobTemplateId'),
      jobTemplateArn: required(out.jobTemplateArn, 'jobTemplateArn'),
    };
  }

  async describe(jobTemplateId: string): Promise<JobTemplate> {
    const out = await this.call(jobTemplateId, () =>
      this.client.send(new DescribeJobTemplateCommand({ jobTemplateId })),
    );
    return toJobTemplate(out);
  }

  async list(page: { limit?: number; nextToken?: string }): Promise<JobTemplatePage> {
    const out = await this.call(undefined, () =>
      this.client.send(new ListJobTemplatesCommand({ maxResults: page.limit, nextToken: page.nextToken })),
    );
    return defined({ items: (out.jobTemplates ?? []).map(toSummary), nextToken: out.nextToken || undefined });
  }

  async delete(jobTemplateId: string): Promise<void> {
    await this.call(jobTemplateId, () => this.client.send(new DeleteJobTemplateCommand({ jobTemplateId })));
  }
}

/** The process's job-template store, on the shared IoT client. */
export const jobTemplateStore: () => JobTemplateStore = perConfig(
  (c) => new IotJobTemplates(iotClient(), { throttleRetryAfterSeconds: c.aws.throttleRetryAfterSeconds }),
);

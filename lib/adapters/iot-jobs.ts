/**
 * The IoT jobs of release waves: CreateJob from a job template,
 * DescribeJob, CancelJob and ListJobExecutionsForJob over `@aws-sdk/client-iot`, with IoT's
 * exceptions translated into domain errors at this boundary. Two IoT
 * answers are outcomes rather than errors for the workflow: a job id that
 * already exists (a retried StartWave meets its own job) and a job that has
 * already ended when it is canceled. A CreateJob refused for its end time
 * becomes an EndTimeRefusedError: the release's end has come.
 */
import {
  CancelJobCommand,
  CreateJobCommand,
  DescribeJobCommand,
  type IoTClient,
  type Job,
  ListJobExecutionsForJobCommand,
} from '@aws-sdk/client-iot';
import { perConfig } from '../config.js';
import { UpstreamError } from '../domain/errors.js';
import { countsFromJobProcessDetails } from '../domain/wave-progress.js';
import { EndTimeRefusedError } from '../workflow/errors.js';
import type {
  JobExecutionPage,
  JobExecutionSummary,
  WaveJobRequest,
  WaveJobs,
  WaveJobView,
} from '../workflow/ports.js';
import { iotClient } from './iot-client.js';
import { fromIotError } from './iot-errors.js';

/** What the adapter needs from the configuration. */
export interface IotJobsConfig {
  /** `retryAfterSeconds` of a ThrottledError. */
  throttleRetryAfterSeconds: number;
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/**
 * True when IoT refused a CreateJob for its `schedulingConfig.endTime`
 * (InvalidRequestException naming the field: less than 30 minutes ahead by
 * IoT's clock), which for a wave means the release's end time has come.
 */
function refusesEndTime(error: unknown, request: WaveJobRequest): boolean {
  if (request.schedulingConfig?.endTime === undefined) return false;
  if (errorName(error) !== 'InvalidRequestException') return false;
  return error instanceof Error && /endTime/.test(error.message);
}

/** Job statuses with nothing left to cancel. */
const endedJobStatuses: ReadonlySet<string> = new Set(['COMPLETED', 'CANCELED', 'DELETION_IN_PROGRESS']);

function toView(jobId: string, job: Job | undefined): WaveJobView {
  if (!job?.jobArn || !job.status) {
    throw new UpstreamError(`AWS IoT described job ${jobId} without its ARN or status.`, 'MalformedResponse');
  }
  return {
    jobId: job.jobId ?? jobId,
    jobArn: job.jobArn,
    status: job.status,
    ...(job.jobTemplateArn && { jobTemplateArn: job.jobTemplateArn }),
    targets: job.targets ?? [],
    counts: countsFromJobProcessDetails(job.jobProcessDetails),
    ...(job.reasonCode && { reasonCode: job.reasonCode }),
    ...(job.comment && { comment: job.comment }),
  };
}

/** ListJobExecutionsForJob's largest page (AWS and the local emulator: 1–250). */
const EXECUTIONS_PAGE_SIZE = 250;

/** The thing's name from its ARN (`arn:aws:iot:<region>:<account>:thing/<name>`). */
export function thingNameOf(thingArn: string | undefined): string | undefined {
  const at = thingArn?.indexOf(':thing/') ?? -1;
  return thingArn !== undefined && at >= 0 ? thingArn.slice(at + ':thing/'.length) : undefined;
}

/** {@link WaveJobs} on an `IoTClient`. */
export class IotJobs implements WaveJobs {
  constructor(
    private readonly client: IoTClient,
    private readonly config: IotJobsConfig,
  ) {}

  private translate(error: unknown, jobId: string): Error {
    return fromIotError(error, {
      resourceId: jobId,
      retryAfterSeconds: this.config.throttleRetryAfterSeconds,
    });
  }

  private async call<T>(jobId: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw this.translate(error, jobId);
    }
  }

  async create(request: WaveJobRequest): Promise<{ created: boolean; jobArn?: string }> {
    try {
      const out = await this.client.send(
        new CreateJobCommand({
          jobId: request.jobId,
          jobTemplateArn: request.jobTemplateArn,
          targets: request.targets,
          // A wave is the things it targets now: things joining a group later belong to no wave.
          targetSelection: 'SNAPSHOT',
          description: request.description,
          ...request.overrides,
          ...(request.schedulingConfig && { schedulingConfig: request.schedulingConfig }),
        }),
      );
      return { created: true, ...(out.jobArn && { jobArn: out.jobArn }) };
    } catch (error) {
      if (errorName(error) === 'ResourceAlreadyExistsException') {
        const resourceArn = (error as { resourceArn?: unknown }).resourceArn;
        return { created: false, ...(typeof resourceArn === 'string' && { jobArn: resourceArn }) };
      }
      if (refusesEndTime(error, request)) {
        throw new EndTimeRefusedError(
          `AWS IoT refused job ${request.jobId}'s end time ${request.schedulingConfig?.endTime}: ${(error as Error).message}`,
          request.jobId,
        );
      }
      throw this.translate(error, request.jobId);
    }
  }

  async describe(jobId: string): Promise<WaveJobView> {
    const out = await this.call(jobId, () => this.client.send(new DescribeJobCommand({ jobId })));
    return toView(jobId, out.job);
  }

  async listExecutionsPage(
    jobId: string,
    options: { status?: string; nextToken?: string } = {},
  ): Promise<JobExecutionPage> {
    const out = await this.call(jobId, () =>
      this.client.send(
        new ListJobExecutionsForJobCommand({
          jobId,
          maxResults: EXECUTIONS_PAGE_SIZE,
          // The SDK types the filter as IoT's enum; the port speaks plain strings.
          ...(options.status !== undefined && { status: options.status as never }),
          ...(options.nextToken !== undefined && { nextToken: options.nextToken }),
        }),
      ),
    );
    const executions: JobExecutionSummary[] = [];
    for (const summary of out.executionSummaries ?? []) {
      const thingName = thingNameOf(summary.thingArn);
      const status = summary.jobExecutionSummary?.status;
      if (!thingName || !status) {
        throw new UpstreamError(
          `AWS IoT listed an execution of job ${jobId} without its thing or status.`,
          'MalformedResponse',
        );
      }
      executions.push({ thingName, status });
    }
    return { executions, ...(out.nextToken && { nextToken: out.nextToken }) };
  }

  async listExecutions(jobId: string, status?: string): Promise<JobExecutionSummary[]> {
    const all: JobExecutionSummary[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.listExecutionsPage(jobId, {
        ...(status !== undefined && { status }),
        ...(nextToken !== undefined && { nextToken }),
      });
      all.push(...page.executions);
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    return all;
  }

  async cancel(
    jobId: string,
    why: { reasonCode: string; comment: string; force?: boolean },
  ): Promise<boolean> {
    try {
      await this.client.send(
        new CancelJobCommand({
          jobId,
          reasonCode: why.reasonCode,
          comment: why.comment,
          ...(why.force && { force: true }),
        }),
      );
      return true;
    } catch (error) {
      // AWS refuses to cancel a COMPLETED job, one being deleted, or a CANCELED one without force
      // (IoT's abort got there first) with CancelJob's only state error, InvalidRequestException,
      // which also means a malformed request: the job's own status tells which, not the name.
      const name = errorName(error);
      if (name === 'InvalidRequestException' || name === 'InvalidStateTransitionException') {
        const { status } = await this.describe(jobId);
        if (endedJobStatuses.has(status)) return false;
      }
      throw this.translate(error, jobId);
    }
  }
}

/** The process's wave jobs, on the shared IoT client. */
export const waveJobs: () => WaveJobs = perConfig(
  (c) => new IotJobs(iotClient(), { throttleRetryAfterSeconds: c.aws.throttleRetryAfterSeconds }),
);

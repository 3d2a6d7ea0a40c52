/**
 * The IoT jobs of release waves: CreateJob from a job template,
 * DescribeJob, CancelJob and ListJobExecutionsForJob over `@aws-sdk/client-iot`, with IoT's
 * exceptions translated into domain errors at this boundary. Two IoT
 * answers are outcomes rather than errors for the workflow: a job id that
 * already exists (a retried StartWave meets its own job) and a job that has
 * already ended when it is canceled.
 */
import {
  CancelJobCommand,
  CreateJobCommand,
  DescribeJobCommand,
  type IoTClient,
  type Job,
  type JobExecutionStatus,
  ListJobExecutionsForJobCommand,
} from '@aws-sdk/client-iot';
import { perConfig } from '../config.js';
import { UpstreamError } from '../domain/errors.js';
import type { ThingExecution } from '../domain/wave-halt.js';
import { countsFromJobProcessDetails } from '../domain/wave-progress.js';
import type { WaveJobRequest, WaveJobs, WaveJobView } from '../workflow/ports.js';
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

/** ListJobExecutionsForJob's largest page on AWS: fewer calls against its 10 TPS. */
const EXECUTIONS_PAGE_SIZE = 250;

/** The thing name of a thing ARN (`arn:aws:iot:<region>:<account>:thing/<name>`). */
function thingNameOf(thingArn: string): string {
  return thingArn.slice(thingArn.lastIndexOf('/') + 1);
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
        }),
      );
      return { created: true, ...(out.jobArn && { jobArn: out.jobArn }) };
    } catch (error) {
      if (errorName(error) === 'ResourceAlreadyExistsException') {
        const resourceArn = (error as { resourceArn?: unknown }).resourceArn;
        return { created: false, ...(typeof resourceArn === 'string' && { jobArn: resourceArn }) };
      }
      throw this.translate(error, request.jobId);
    }
  }

  async describe(jobId: string): Promise<WaveJobView> {
    const out = await this.call(jobId, () => this.client.send(new DescribeJobCommand({ jobId })));
    return toView(jobId, out.job);
  }

  async listExecutions(jobId: string, status?: string): Promise<ThingExecution[]> {
    const executions: ThingExecution[] = [];
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const out = await this.call(jobId, () =>
        this.client.send(
          new ListJobExecutionsForJobCommand({
            jobId,
            maxResults: EXECUTIONS_PAGE_SIZE,
            ...(status && { status: status as JobExecutionStatus }),
            ...(token && { nextToken: token }),
          }),
        ),
      );
      for (const summary of out.executionSummaries ?? []) {
        const thingStatus = summary.jobExecutionSummary?.status;
        if (summary.thingArn && thingStatus) {
          executions.push({ thingName: thingNameOf(summary.thingArn), status: thingStatus });
        }
      }
      nextToken = out.nextToken;
    } while (nextToken);
    return executions;
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

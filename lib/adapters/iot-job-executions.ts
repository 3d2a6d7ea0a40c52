/**
 * A wave job's executions as the release API reads them:
 * ListJobExecutionsForJob (one page, with its times and attempt number) and
 * DescribeJobExecution (the `statusDetails` a device reported), with IoT's
 * exceptions translated into domain errors at this boundary. Both calls go
 * through the IoT call budget (`iot-client.ts`) like every jobs API call.
 */
import {
  DescribeJobExecutionCommand,
  type IoTClient,
  type JobExecutionStatus,
  ListJobExecutionsForJobCommand,
} from '@aws-sdk/client-iot';
import { perConfig } from '../config.js';
import { NotFoundError, UpstreamError } from '../domain/errors.js';
import type {
  ExecutionDetails,
  ExecutionListing,
  ExecutionRow,
  JobExecutionReader,
} from '../releases/ports.js';
import { iotClient } from './iot-client.js';
import { fromIotError } from './iot-errors.js';
import { thingNameOf } from './iot-jobs.js';

/** What the adapter needs from the configuration. */
interface IotJobExecutionsConfig {
  /** `retryAfterSeconds` of a ThrottledError. */
  throttleRetryAfterSeconds: number;
}

const isoOf = (date: Date | undefined): string | undefined => date?.toISOString();

/** {@link JobExecutionReader} on an `IoTClient`. */
class IotJobExecutions implements JobExecutionReader {
  constructor(
    private readonly client: IoTClient,
    private readonly config: IotJobExecutionsConfig,
  ) {}

  private async call<T>(jobId: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw fromIotError(error, {
        resourceId: jobId,
        retryAfterSeconds: this.config.throttleRetryAfterSeconds,
      });
    }
  }

  async listPage(
    jobId: string,
    options: { status?: string; maxResults: number; nextToken?: string },
  ): Promise<ExecutionListing> {
    const out = await this.call(jobId, () =>
      this.client.send(
        new ListJobExecutionsForJobCommand({
          jobId,
          maxResults: options.maxResults,
          ...(options.status !== undefined && { status: options.status as JobExecutionStatus }),
          ...(options.nextToken !== undefined && { nextToken: options.nextToken }),
        }),
      ),
    );
    const executions: ExecutionRow[] = [];
    for (const { thingArn, jobExecutionSummary: summary } of out.executionSummaries ?? []) {
      const thingName = thingNameOf(thingArn);
      if (!thingName || !summary?.status) {
        throw new UpstreamError(
          `AWS IoT listed an execution of job ${jobId} without its thing or status.`,
          'MalformedResponse',
        );
      }
      const queuedAt = isoOf(summary.queuedAt);
      const startedAt = isoOf(summary.startedAt);
      const lastUpdatedAt = isoOf(summary.lastUpdatedAt);
      executions.push({
        thingName,
        status: summary.status,
        ...(summary.executionNumber !== undefined && { executionNumber: summary.executionNumber }),
        ...(queuedAt && { queuedAt }),
        ...(startedAt && { startedAt }),
        ...(lastUpdatedAt && { lastUpdatedAt }),
      });
    }
    return { executions, ...(out.nextToken && { nextToken: out.nextToken }) };
  }

  async describe(jobId: string, thingName: string, executionNumber?: number): Promise<ExecutionDetails> {
    try {
      const out = await this.call(jobId, () =>
        this.client.send(
          new DescribeJobExecutionCommand({
            jobId,
            thingName,
            ...(executionNumber !== undefined && { executionNumber }),
          }),
        ),
      );
      const details = out.execution?.statusDetails?.detailsMap;
      return { found: true, ...(details && Object.keys(details).length > 0 && { statusDetails: details }) };
    } catch (error) {
      // Deleted since it was listed (DeleteJobExecution, or the job deleted), or a newer attempt.
      if (error instanceof NotFoundError) return { found: false };
      throw error;
    }
  }
}

/** The process's job execution reader, on the shared IoT client. */
export const jobExecutionReader: () => JobExecutionReader = perConfig(
  (c) => new IotJobExecutions(iotClient(), { throttleRetryAfterSeconds: c.aws.throttleRetryAfterSeconds }),
);

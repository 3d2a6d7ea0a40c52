/**
 * What a crash run reads once every release has ended: each release's view
 * and history from the REST API, and from the AWS endpoint (with the SDK, as
 * any AWS client would) its IoT jobs, their counters and every execution,
 * and the members of the groups its cohorts were drawn from.
 */
import {
  DescribeJobCommand,
  IoTClient,
  type JobExecutionStatus,
  ListJobExecutionsForJobCommand,
  ListJobsCommand,
  ListThingsInThingGroupCommand,
} from '@aws-sdk/client-iot';
import { type HistoryEvent, type ReleaseView, readHistory, readRelease } from './crash-api.js';
import type { ReleaseShape } from './release-shapes.js';

/** One IoT job of a release as the endpoint reports it at the end. */
interface JobState {
  readonly jobId: string;
  readonly status: string;
  /** DescribeJob's `jobProcessDetails` counters. */
  readonly counters: Record<string, number>;
  /** Every execution (ListJobExecutionsForJob, every page): thing name and status. */
  readonly executions: readonly { thingName: string; status: JobExecutionStatus | string }[];
}

/** Everything the invariants read about one release. */
export interface ReleaseState {
  readonly shape: ReleaseShape;
  readonly view: ReleaseView | undefined;
  readonly history: readonly HistoryEvent[];
  /** The ids ListJobs lists that start with `<releaseId>-` (repeats kept). */
  readonly listedJobIds: readonly string[];
  readonly jobs: readonly JobState[];
  /** The members of the shape's `fleetGroup` (recursive), when it has one. */
  readonly fleet?: readonly string[];
}

/** An SDK client for the local AWS endpoint (any credentials). */
export function iotClient(awsUrl: string): IoTClient {
  return new IoTClient({
    endpoint: awsUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'crash', secretAccessKey: 'crash' },
  });
}

async function allJobIds(iot: IoTClient): Promise<string[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await iot.send(new ListJobsCommand({ maxResults: 250, nextToken }));
    ids.push(...(page.jobs ?? []).map((j) => j.jobId ?? ''));
    nextToken = page.nextToken;
  } while (nextToken);
  return ids;
}

async function jobState(iot: IoTClient, jobId: string): Promise<JobState> {
  const { job } = await iot.send(new DescribeJobCommand({ jobId }));
  const executions: { thingName: string; status: string }[] = [];
  let nextToken: string | undefined;
  do {
    const page = await iot.send(new ListJobExecutionsForJobCommand({ jobId, maxResults: 250, nextToken }));
    for (const summary of page.executionSummaries ?? []) {
      const thingName = (summary.thingArn ?? '').split('/').pop() ?? '';
      executions.push({ thingName, status: summary.jobExecutionSummary?.status ?? 'UNKNOWN' });
    }
    nextToken = page.nextToken;
  } while (nextToken);
  const details = job?.jobProcessDetails ?? {};
  const counters = Object.fromEntries(
    Object.entries(details).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
  );
  return { jobId, status: job?.status ?? 'UNKNOWN', counters, executions };
}

/** The members of a thing group and its child groups. */
async function groupMembers(iot: IoTClient, thingGroupName: string): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await iot.send(
      new ListThingsInThingGroupCommand({ thingGroupName, recursive: true, maxResults: 250, nextToken }),
    );
    names.push(...(page.things ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return [...new Set(names)].sort();
}

/** Reads the end state of every shape's release. */
export async function readFinalState(
  apiUrl: string,
  awsUrl: string,
  shapes: readonly ReleaseShape[],
): Promise<ReleaseState[]> {
  const iot = iotClient(awsUrl);
  try {
    const jobIds = await allJobIds(iot);
    const states: ReleaseState[] = [];
    for (const shape of shapes) {
      const listedJobIds = jobIds.filter((id) => id.startsWith(`${shape.releaseId}-`));
      const jobs: JobState[] = [];
      for (const jobId of new Set(listedJobIds)) jobs.push(await jobState(iot, jobId));
      states.push({
        shape,
        view: await readRelease(apiUrl, shape.releaseId),
        history: await readHistory(apiUrl, shape.releaseId).catch(() => []),
        listedJobIds,
        jobs,
        ...(shape.fleetGroup !== undefined && { fleet: await groupMembers(iot, shape.fleetGroup) }),
      });
    }
    return states;
  } finally {
    iot.destroy();
  }
}

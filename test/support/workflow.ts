/**
 * Helpers for release workflow tests on the local stack: start a release as
 * the API does (the record through the repository, then StartExecution
 * named after the release), drive the manual clock from one workflow
 * wake-up to the next, answer the approval gate, and read what IoT and the
 * table hold. Waiting is on task I/O only (bounded); simulated time moves
 * only through the driver.
 */

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateJobTemplateCommand,
  DescribeJobCommand,
  IoTClient,
  ListJobsCommand,
} from '@aws-sdk/client-iot';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { ReleaseRepository } from '../../lib/adapters/release-repository.js';
import type { HistoryEvent, ReleaseWithWaves } from '../../lib/domain/release.js';
import { parseReleaseRequest, type ReleaseRequestInput } from '../../lib/domain/release-request.js';
import type { ReleaseStatus } from '../../lib/domain/statuses.js';
import { countsFromJobProcessDetails, type JobProcessCounts } from '../../lib/domain/wave-progress.js';
import { VirtualClock } from '../../local/clock/virtual-clock.js';
import type { LocalStack, LocalStackOptions } from '../../local/endpoints.js';
import { startTestStack } from './local-stack.js';
import { historyOf } from './stepfunctions.js';

const credentials = { accessKeyId: 'AKIDLOCALFLEETWAVE', secretAccessKey: 'local-secret' };

/** SDK clients for a stack (one attempt each: tests see every error as sent). */
export interface StackClients {
  sfn: SFNClient;
  iot: IoTClient;
  repository: ReleaseRepository;
  destroy(): void;
}

export function clientsFor(stack: LocalStack): StackClients {
  const base = { endpoint: stack.awsUrl, region: stack.region, credentials, maxAttempts: 1 };
  const sfn = new SFNClient(base);
  const iot = new IoTClient(base);
  const dynamo = new DynamoDBClient({ ...base, maxAttempts: 3 });
  const repository = new ReleaseRepository(DynamoDBDocumentClient.from(dynamo), {
    tableName: stack.dynamodb.tableName,
    clock: stack.clock,
  });
  return {
    sfn,
    iot,
    repository,
    destroy() {
      sfn.destroy();
      iot.destroy();
      dynamo.destroy();
    },
  };
}

/** Creates a job template through the IoT API; returns its ARN. */
export async function createTemplate(clients: StackClients, jobTemplateId: string): Promise<string> {
  const out = await clients.iot.send(
    new CreateJobTemplateCommand({
      jobTemplateId,
      description: `firmware ${jobTemplateId}`,
      document: JSON.stringify({ operation: 'install', version: jobTemplateId }),
    }),
  );
  return out.jobTemplateArn ?? '';
}

/** Starts a release as the API will: the PENDING record, then StartExecution named after it. */
export async function startRelease(
  stack: LocalStack,
  clients: StackClients,
  request: ReleaseRequestInput,
): Promise<{ releaseId: string; executionArn: string }> {
  const parsed = parseReleaseRequest(request);
  await clients.repository.createRelease(parsed);
  const out = await clients.sfn.send(
    new StartExecutionCommand({
      stateMachineArn: stack.stateMachineArn,
      name: parsed.releaseId,
      input: JSON.stringify({ releaseId: parsed.releaseId }),
    }),
  );
  if (!out.executionArn) throw new Error('StartExecution answered without an execution ARN');
  return { releaseId: parsed.releaseId, executionArn: out.executionArn };
}

/**
 * Stops the release's execution, as a restart of the local stack loses it,
 * and starts a new one with the same input (named `<releaseId>-resumed`);
 * returns the new execution's ARN.
 */
export async function restartExecution(
  { stack, clients }: WorkflowStack,
  releaseId: string,
  executionArn: string,
): Promise<string> {
  await clients.sfn.send(new StopExecutionCommand({ executionArn, cause: 'the stack stopped' }));
  const out = await clients.sfn.send(
    new StartExecutionCommand({
      stateMachineArn: stack.stateMachineArn,
      name: `${releaseId}-resumed`,
      input: JSON.stringify({ releaseId }),
    }),
  );
  if (!out.executionArn) throw new Error('StartExecution answered without an execution ARN');
  return out.executionArn;
}

/** The states an execution entered, in order. */
export async function statesEntered(clients: StackClients, executionArn: string): Promise<string[]> {
  return (await historyOf(clients.sfn, executionArn)).flatMap((e) =>
    e.stateEnteredEventDetails?.name ? [e.stateEnteredEventDetails.name] : [],
  );
}

export function describeExecution(
  clients: StackClients,
  executionArn: string,
): Promise<DescribeExecutionCommandOutput> {
  return clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
}

/** Drives the clock until `read()` gives a value `done` accepts; returns that value. */
export async function runUntilRead<T>(
  stack: LocalStack,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  maxVirtualMs = 30 * 86_400_000,
): Promise<T> {
  let last: { value: T } | undefined;
  await stack.workflow.driver.runUntil(
    async () => {
      last = { value: await read() };
      return done(last.value);
    },
    { maxVirtualMs, what },
  );
  if (!last) throw new Error(`nothing read while waiting for ${what}`);
  return last.value;
}

/** Drives the clock until the execution has closed; returns its description. */
export function runUntilClosed(
  stack: LocalStack,
  clients: StackClients,
  executionArn: string,
  maxVirtualMs?: number,
): Promise<DescribeExecutionCommandOutput> {
  return runUntilRead(
    stack,
    () => describeExecution(clients, executionArn),
    (out) => out.status !== 'RUNNING',
    `execution ${executionArn} to close`,
    maxVirtualMs,
  );
}

/** Drives the clock until the release has `status`. */
export function runUntilReleaseStatus(
  stack: LocalStack,
  clients: StackClients,
  releaseId: string,
  status: ReleaseStatus,
  maxVirtualMs?: number,
): Promise<ReleaseWithWaves> {
  return runUntilRead(
    stack,
    () => clients.repository.getRelease(releaseId),
    (loaded) => loaded.release.status === status,
    `release ${releaseId} to be ${status}`,
    maxVirtualMs,
  );
}

/** Takes the approval token of `waveNumber` as the API does (one taker wins). */
async function approvalToken(clients: StackClients, releaseId: string, waveNumber: number): Promise<string> {
  const taken = await clients.repository.takeTaskToken(releaseId, waveNumber, 'APPROVAL');
  if (!taken) throw new Error(`wave ${waveNumber} of ${releaseId} holds no approval token`);
  return taken.token;
}

/** Answers the approval gate of `waveNumber` as the API does: take the token, then SendTaskSuccess. */
export async function approve(
  clients: StackClients,
  releaseId: string,
  waveNumber: number,
  output: object = { approvedBy: 'release-manager' },
): Promise<void> {
  const taskToken = await approvalToken(clients, releaseId, waveNumber);
  await clients.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
}

/** Refuses the approval gate of `waveNumber`: take the token, then SendTaskFailure. */
export async function refuse(
  clients: StackClients,
  releaseId: string,
  waveNumber: number,
  why: { error: string; cause: string },
): Promise<void> {
  const taskToken = await approvalToken(clients, releaseId, waveNumber);
  await clients.sfn.send(new SendTaskFailureCommand({ taskToken, ...why }));
}

/** Every history event of a release, oldest first. */
export async function releaseHistory(clients: StackClients, releaseId: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await clients.repository.listHistory(releaseId, {
      limit: 500,
      ...(nextToken && { nextToken }),
    });
    events.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** The status changes of a history, as `W1:IN_PROGRESS` / `R:SUCCEEDED` strings. */
export function statusTrail(events: readonly HistoryEvent[]): string[] {
  return events.flatMap((e) => {
    if (e.type === 'RELEASE_CREATED' || e.type === 'RELEASE_STATUS_CHANGED') return [`R:${e.to}`];
    if (e.type === 'WAVE_STATUS_CHANGED') return [`W${e.waveNumber}:${e.to}`];
    return [];
  });
}

/** DescribeJob's counters of a job. */
/** The EventBridge notifications one release produced, in order, as `<detail-type><waveNumber?>`. */
export function notificationTrail(stack: LocalStack, releaseId: string): string[] {
  return stack.eventBridge
    .recorded({ source: 'fleetwave' })
    .map((r) => r.event)
    .filter((e) => (e.detail as { releaseId?: string }).releaseId === releaseId)
    .map((e) => `${e['detail-type']}${(e.detail as { waveNumber?: number }).waveNumber ?? ''}`);
}

export async function jobCounts(clients: StackClients, jobId: string): Promise<JobProcessCounts> {
  const out = await clients.iot.send(new DescribeJobCommand({ jobId }));
  return countsFromJobProcessDetails(out.job?.jobProcessDetails);
}

/** The ids of every job IoT holds, sorted. */
export async function jobIds(clients: StackClients): Promise<string[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await clients.iot.send(new ListJobsCommand({ maxResults: 250, nextToken }));
    ids.push(...(page.jobs ?? []).map((j) => j.jobId ?? ''));
    nextToken = page.nextToken;
  } while (nextToken);
  return ids.sort();
}

/** 2026-01-01T00:00:00Z: where the scenarios' virtual clock starts. */
export const WORKFLOW_T0 = Date.UTC(2026, 0, 1);

/** A scenario's stack and clients. */
export interface WorkflowStack {
  stack: LocalStack;
  clients: StackClients;
}

/**
 * Starts a stack (manual clock at {@link WORKFLOW_T0}) with a job template
 * `templateId` before the file's tests, and closes it after them.
 */
export function useWorkflowStack(
  options: Omit<LocalStackOptions, 'clock'> = {},
  templateId = 'fw-2-0',
): () => WorkflowStack {
  let current: WorkflowStack | undefined;
  beforeAll(async () => {
    const stack = await startTestStack({
      // Retried task failures are expected in these scenarios; keep their warnings out of the output.
      logLevel: 'ERROR',
      ...options,
      clock: new VirtualClock({ start: WORKFLOW_T0, mode: { kind: 'manual' } }),
    });
    const clients = clientsFor(stack);
    current = { stack, clients };
    await createTemplate(clients, templateId);
  });
  afterAll(async () => {
    current?.clients.destroy();
    await current?.stack.close();
  });
  return () => {
    if (!current) throw new Error('The workflow stack is not started.');
    return current;
  };
}

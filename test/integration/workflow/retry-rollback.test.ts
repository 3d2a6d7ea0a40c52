/**
 * Retry and rollback on the local stack: a source release of two percentage
 * waves (some devices fail or reject), with a follow-up job on wave 1, ends;
 * a retry and a rollback stored as the API stores them (`createRelease` with
 * their derivation) and started run GatherTargets, whose group holds exactly
 * the things the source's executions say (read here independently, every
 * execution of every job), and whose waves reach exactly those things. A
 * retry of a source where nothing failed ends SUCCEEDED with nothing to do.
 * Each release deletes the groups it created when it ends, so what a group
 * held is read from the registry's membership listener, and its end is
 * checked to leave none of them.
 */

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  AddThingToThingGroupCommand,
  CreateJobCommand,
  CreateThingGroupCommand,
  DescribeJobCommand,
  ListJobExecutionsForJobCommand,
  ListThingGroupsCommand,
  ListThingsInThingGroupCommand,
} from '@aws-sdk/client-iot';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { waveKey } from '../../../lib/adapters/release-repository-items.js';
import { targetSetGroupName } from '../../../lib/domain/cohorts.js';
import type { ReleaseDerivation } from '../../../lib/domain/release-derivation.js';
import { parseReleaseRequest, type ReleaseRequestInput } from '../../../lib/domain/release-request.js';
import { targetThings } from '../../../lib/domain/target-set.js';
import { waveJobIds } from '../../../lib/domain/wave-job.js';
import { fixedProfile } from '../../support/fleet.js';
import { type MembershipRecord, recordMemberships } from '../../support/group-memberships.js';
import { historyOf } from '../../support/stepfunctions.js';
import {
  restartExecution,
  runUntilClosed,
  runUntilReleaseStatus,
  type StackClients,
  startRelease,
  statesEntered,
  useWorkflowStack,
  type WorkflowStack,
} from '../../support/workflow.js';

const RETRY = ['FAILED', 'TIMED_OUT', 'REJECTED'];
/** Thresholds a fleet where a fifth of the devices fail passes: the source and its retry both run every wave. */
const lenient = { successThresholdPercent: 0, failureThresholdPercent: 100 };

async function pages<T>(read: (nextToken?: string) => Promise<{ items: T[]; nextToken?: string }>) {
  const all: T[] = [];
  let nextToken: string | undefined;
  do {
    const page = await read(nextToken);
    all.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  return all;
}

function members(clients: StackClients, thingGroupName: string, recursive = false): Promise<string[]> {
  return pages(async (nextToken) => {
    const out = await clients.iot.send(
      new ListThingsInThingGroupCommand({ thingGroupName, recursive, maxResults: 250, nextToken }),
    );
    return { items: out.things ?? [], ...(out.nextToken && { nextToken: out.nextToken }) };
  }).then((things) => things.sort());
}

/** The groups fleetwave made that are still there (cohorts, follow-ups, target sets of releases not ended). */
async function fleetwaveGroups(clients: StackClients): Promise<string[]> {
  const out = await clients.iot.send(new ListThingGroupsCommand({ namePrefixFilter: 'fleetwave-' }));
  return (out.thingGroups ?? []).map((g) => g.groupName ?? '');
}

/** Every execution of a job, whatever its status, as IoT lists it. */
function executionsOf(clients: StackClients, jobId: string) {
  return pages(async (nextToken) => {
    const out = await clients.iot.send(
      new ListJobExecutionsForJobCommand({ jobId, maxResults: 250, nextToken }),
    );
    const items = (out.executionSummaries ?? []).map((e) => ({
      thingName: (e.thingArn ?? '').split(':thing/')[1] ?? '',
      status: e.jobExecutionSummary?.status ?? '',
    }));
    return { items, ...(out.nextToken && { nextToken: out.nextToken }) };
  });
}

/** Every execution of every job of a release's waves. */
async function releaseExecutions(clients: StackClients, releaseId: string) {
  const { waves } = await clients.repository.getRelease(releaseId);
  const jobs = waves.flatMap((wave) => waveJobIds(wave));
  return (await Promise.all(jobs.map((jobId) => executionsOf(clients, jobId)))).flat();
}

/**
 * Wave 1's follow-up job, as a halted wave goes on: a job of its own over
 * things that never started in the wave (here: things no wave took), run to
 * its end, and named on the wave's record.
 */
async function followUpJob({ stack, clients }: WorkflowStack, releaseId: string, things: string[]) {
  const jobId = `${releaseId}-w01-r1`;
  const { job } = await clients.iot.send(new DescribeJobCommand({ jobId: `${releaseId}-w01` }));
  const account = (job?.jobTemplateArn ?? '').split(':jobtemplate/')[0];
  const arn = (thing: string) => `${account}:thing/${thing}`;
  await clients.iot.send(
    new CreateJobCommand({
      jobId,
      jobTemplateArn: job?.jobTemplateArn,
      targets: things.map(arn),
      targetSelection: 'SNAPSHOT',
    }),
  );
  // No workflow waits on this job: the clock moves by hand until the devices have answered.
  const status = async () => (await clients.iot.send(new DescribeJobCommand({ jobId }))).job?.status;
  for (let minutes = 0; minutes < 30 && (await status()) !== 'COMPLETED'; minutes++)
    stack.clock.advance(60_000);
  expect(await status()).toBe('COMPLETED');
  const dynamo = new DynamoDBClient({
    endpoint: stack.awsUrl,
    region: stack.region,
    credentials: { accessKeyId: 'AKIDLOCALFLEETWAVE', secretAccessKey: 'local-secret' },
  });
  try {
    await DynamoDBDocumentClient.from(dynamo).send(
      new UpdateCommand({
        TableName: stack.dynamodb.tableName,
        Key: waveKey(releaseId, 1),
        UpdateExpression: 'SET followUpJobIds = :ids',
        ExpressionAttributeValues: { ':ids': [jobId] },
      }),
    );
  } finally {
    dynamo.destroy();
  }
}

/** Stores a retry or rollback of `source` as the API does, and starts its execution. */
async function startDerived(
  { stack, clients }: WorkflowStack,
  kind: 'retry' | 'rollback',
  source: string,
  waves: ReleaseRequestInput['waves'],
  releaseId = `${source}-${kind}`,
) {
  const thingGroupName = targetSetGroupName(releaseId);
  const request = parseReleaseRequest({
    releaseId,
    jobTemplateId: 'fw-2-0',
    targets: { thingGroups: [thingGroupName] },
    waves,
  });
  const derivation: ReleaseDerivation = {
    ...(kind === 'retry' ? { retryOf: source } : { rollbackOf: source }),
    targetSet: {
      sourceReleaseId: source,
      statuses: kind === 'retry' ? RETRY : ['SUCCEEDED'],
      thingGroupName,
    },
  };
  await clients.repository.createRelease(request, 'release-manager', derivation);
  const { executionArn } = await clients.sfn.send(
    new StartExecutionCommand({
      stateMachineArn: stack.stateMachineArn,
      name: releaseId,
      input: JSON.stringify({ releaseId }),
    }),
  );
  return { releaseId, thingGroupName, executionArn: executionArn ?? '' };
}

/** {@link startDerived}, then runs it to its end. */
async function runDerived(
  ws: WorkflowStack,
  kind: 'retry' | 'rollback',
  source: string,
  waves: ReleaseRequestInput['waves'],
) {
  const started = await startDerived(ws, kind, source, waves);
  const done = await runUntilClosed(ws.stack, ws.clients, started.executionArn);
  return { ...started, done, states: await statesEntered(ws.clients, started.executionArn) };
}

/**
 * The source, run once for the file: 120 of the fleet's 150 things in two
 * percentage waves, the other 30 in wave 1's follow-up job; what its
 * executions say, read independently of the gather.
 */
async function buildSource(ws: WorkflowStack) {
  const { stack, clients } = ws;
  const fleet = await members(clients, 'fleet', true);
  const rest = fleet.slice(120);
  await clients.iot.send(new CreateThingGroupCommand({ thingGroupName: 'src-fleet' }));
  for (const thingName of fleet.slice(0, 120)) {
    await clients.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'src-fleet', thingName }));
  }
  const { executionArn } = await startRelease(stack, clients, {
    releaseId: 'src',
    jobTemplateId: 'fw-2-0',
    targets: { thingGroups: ['src-fleet'] },
    waves: [
      { percentage: 40, ...lenient },
      { percentage: 100, ...lenient },
    ],
  });
  const ran = await runUntilClosed(stack, clients, executionArn);
  const src = await clients.repository.getRelease('src');
  expect({ status: ran.status, reason: src.release.statusReason }).toEqual({
    status: 'SUCCEEDED',
    reason: 'All 2 waves succeeded.',
  });
  await followUpJob(ws, 'src', rest);
  const executions = await releaseExecutions(clients, 'src');
  return {
    executions,
    rest,
    failed: targetThings(executions, RETRY),
    updated: targetThings(executions, ['SUCCEEDED']),
  };
}

describe('release workflow: retry and rollback gather their things from the source', () => {
  const env = useWorkflowStack({
    fleet: { size: 150, canaryShare: 0 },
    profiles: fixedProfile({ outcomes: { fail: 0.15, reject: 0.05 }, startSeconds: 5, runSeconds: 30 }),
  });

  let built: ReturnType<typeof buildSource> | undefined;
  let recorded: MembershipRecord | undefined;
  /** Things that joined each group since the first test began (the groups themselves go with their release). */
  const memberships = (ws: WorkflowStack) => {
    recorded ??= recordMemberships(ws.stack.iot.registry.things);
    return recorded;
  };
  afterAll(() => recorded?.stop());
  const source = (ws: WorkflowStack) => {
    memberships(ws);
    built ??= buildSource(ws);
    return built;
  };

  it('targets exactly the failed things (retry) and the updated things (rollback) of two waves and a follow-up job', async () => {
    const ws = env();
    const { clients } = ws;
    const { executions, rest, failed, updated } = await source(ws);
    const followUp = new Set(rest);
    // The source has what the rule must sort out: failures and successes in both waves and the follow-up job.
    expect(failed.some((t) => followUp.has(t))).toBe(true);
    expect(updated.some((t) => followUp.has(t))).toBe(true);
    expect(executions.some((e) => e.status === 'REJECTED')).toBe(true);
    expect(failed.length + updated.length).toBe(executions.length);

    const retry = await runDerived(ws, 'retry', 'src', [
      { targets: { thingGroups: [targetSetGroupName('src-retry')] }, ...lenient },
    ]);
    expect(retry.done.status).toBe('SUCCEEDED');
    expect(retry.states.slice(0, 3)).toEqual(['StartRelease', 'AfterStartRelease', 'GatherTargets']);
    expect(memberships(ws).joined(retry.thingGroupName)).toEqual(failed);
    // The source's cohorts and the retry's set went with their releases' ends.
    expect(await fleetwaveGroups(clients)).toEqual([]);
    const retried = await clients.repository.getRelease(retry.releaseId);
    expect(retried.release.targetSet?.things).toBe(failed.length);
    expect(targetThings(await releaseExecutions(clients, retry.releaseId), [...RETRY, 'SUCCEEDED'])).toEqual(
      failed,
    );

    const rollback = await runDerived(ws, 'rollback', 'src', [
      { percentage: 50, ...lenient },
      { percentage: 100, ...lenient },
    ]);
    expect(rollback.done.status).toBe('SUCCEEDED');
    expect(memberships(ws).joined(rollback.thingGroupName)).toEqual(updated);
    expect(await fleetwaveGroups(clients)).toEqual([]);
    const rolledBack = await releaseExecutions(clients, rollback.releaseId);
    // Each thing of the set in exactly one of the rollback's waves.
    expect(rolledBack.map((e) => e.thingName).sort()).toEqual(updated);
    expect((await clients.repository.getRelease(rollback.releaseId)).release.targetSet?.things).toBe(
      updated.length,
    );
  });

  it('ends a retry of a release where nothing failed SUCCEEDED, with nothing to retry and no job', async () => {
    const ws = env();
    const { stack, clients } = ws;
    const simulator = stack.fleet.simulator;
    const before = simulator.getProfiles();
    simulator.setProfiles(fixedProfile({ startSeconds: 5, runSeconds: 30 }));
    try {
      const things = (await members(clients, 'fleet', true)).slice(0, 3);
      const { executionArn } = await startRelease(stack, clients, {
        releaseId: 'clean',
        jobTemplateId: 'fw-2-0',
        waves: [{ targets: { things } }],
      });
      expect((await runUntilClosed(stack, clients, executionArn)).status).toBe('SUCCEEDED');
      const retry = await runDerived(ws, 'retry', 'clean', [
        { targets: { thingGroups: [targetSetGroupName('clean-retry')] } },
      ]);
      expect(retry.done.status).toBe('SUCCEEDED');
      const { release, waves } = await clients.repository.getRelease(retry.releaseId);
      expect(release.status).toBe('SUCCEEDED');
      expect(release.statusReason).toBe(
        'Nothing to retry: no execution of release clean ended FAILED, TIMED_OUT, REJECTED.',
      );
      // The set's group, made empty before the set was read, went with the release's end.
      expect(await fleetwaveGroups(clients)).toEqual([]);
      expect(release.targetSet?.things).toBe(0);
      expect(waves.map((w) => w.status)).toEqual(['CANCELED']);
      expect(retry.states).not.toContain('StartWave');
    } finally {
      simulator.setProfiles(before);
    }
  });

  it('gathers again after a restart and through a throttled listing, into a group that holds the set exactly', async () => {
    const ws = env();
    const { stack, clients } = ws;
    const { failed } = await source(ws);
    // Three SDK attempts per call: four throttles in a row reach the workflow as ThrottledError.
    stack.iot.faults.add({ operation: 'ListJobExecutionsForJob', error: 'ThrottlingException', count: 4 });
    try {
      const started = await startDerived(
        ws,
        'retry',
        'src',
        [{ targets: { thingGroups: [targetSetGroupName('src-again')] }, ...lenient }],
        'src-again',
      );
      await runUntilReleaseStatus(stack, clients, 'src-again', 'IN_PROGRESS');
      const resumed = await restartExecution(ws, 'src-again', started.executionArn);
      expect((await runUntilClosed(stack, clients, resumed)).status).toBe('SUCCEEDED');
      expect(await statesEntered(clients, resumed)).toContain('GatherTargets');
      expect(memberships(ws).joined(started.thingGroupName)).toEqual(failed);
      expect(await fleetwaveGroups(clients)).toEqual([]);
      const { release } = await clients.repository.getRelease('src-again');
      expect(release.targetSet?.things).toBe(failed.length);
      const throttled = [started.executionArn, resumed].map(async (arn) =>
        (await historyOf(clients.sfn, arn)).filter(
          (e) => e.taskFailedEventDetails?.error === 'ThrottledError',
        ),
      );
      expect((await Promise.all(throttled)).flat().length).toBeGreaterThan(0);
    } finally {
      stack.iot.faults.clear();
    }
  });
});

/**
 * Retry and rollback end to end on the local stack, over REST: the things a
 * retry or a rollback targets are exactly those whose executions in the
 * original ended FAILED/TIMED_OUT/REJECTED, or SUCCEEDED, as IoT lists them;
 * the two histories link to each other; a repeat with the same
 * Idempotency-Key is the same release. And the automatic rollback: a release
 * that says `onFailure.rollback` and fails on a failing cohort rolls back
 * the things that took the version, by itself.
 */
import {
  type IoTClient,
  type JobExecutionStatus,
  ListJobExecutionsForJobCommand,
  ListThingGroupsCommand,
} from '@aws-sdk/client-iot';
import { describe, expect, it, onTestFinished } from 'vitest';
import { targetSetGroupName } from '../../lib/domain/cohorts.js';
import type { ThingRegistry } from '../../local/iot/index.js';
import { fixedProfile } from '../support/fleet.js';
import { recordMemberships } from '../support/group-memberships.js';
import { notificationTrail, useWorkflowStack } from '../support/workflow.js';
import { call, createReleaseOk, releaseRequest, runUntilApi } from './releases-support.js';

/** The things of `jobIds` whose execution is in one of `statuses` (ListJobExecutionsForJob, every page). */
async function thingsWith(
  iot: IoTClient,
  jobIds: readonly string[],
  statuses: readonly JobExecutionStatus[],
) {
  const things: string[] = [];
  for (const jobId of jobIds) {
    for (const status of statuses) {
      let nextToken: string | undefined;
      do {
        const page = await iot.send(
          new ListJobExecutionsForJobCommand({ jobId, status, maxResults: 100, nextToken }),
        );
        things.push(...(page.executionSummaries ?? []).map((e) => (e.thingArn ?? '').split('/').pop() ?? ''));
        nextToken = page.nextToken;
      } while (nextToken);
    }
  }
  return things.sort();
}

/** From now until the test ends: the things that joined each group (a release deletes its groups when it ends). */
function membershipsOf(registry: Pick<ThingRegistry, 'onMembership'>) {
  const record = recordMemberships(registry);
  onTestFinished(() => record.stop());
  return record;
}

/** Whether IoT still has the group. */
async function groupExists(iot: IoTClient, thingGroupName: string): Promise<boolean> {
  const page = await iot.send(new ListThingGroupsCommand({ namePrefixFilter: thingGroupName }));
  return (page.thingGroups ?? []).some((g) => g.groupName === thingGroupName);
}

// biome-ignore lint/suspicious/noExplicitAny: the release view as JSON
const jobsOf = (view: any): string[] =>
  view.waves.flatMap((w: { jobId?: string; followUpJobIds?: string[] }) =>
    w.jobId ? [w.jobId, ...(w.followUpJobIds ?? [])] : [],
  );
const ended = (v: { release: { status: string } }) =>
  ['SUCCEEDED', 'FAILED', 'CANCELED'].includes(v.release.status);

describe('retry and rollback over HTTP', () => {
  const env = useWorkflowStack({
    fleet: { size: 60, canaryShare: 0 },
    profiles: fixedProfile({ startSeconds: 5, runSeconds: 60, outcomes: { fail: 0.15, reject: 0.05 } }),
  });

  it('retries exactly the failed things and rolls back exactly the succeeded ones, each linked to the original', async () => {
    const { stack, clients } = env();
    const memberships = membershipsOf(stack.iot.registry.things);
    const id = await createReleaseOk(
      stack,
      releaseRequest({
        releaseId: 'rr-orig',
        waves: [
          { percentage: 50, successThresholdPercent: 50, failureThresholdPercent: 60 },
          { percentage: 100, successThresholdPercent: 50, failureThresholdPercent: 60 },
        ],
      }),
    );
    const original = await runUntilApi(stack, id, ended, 'ended');
    expect(original.release.status).toBe('SUCCEEDED');
    const jobs = jobsOf(original);
    const failed = await thingsWith(clients.iot, jobs, ['FAILED', 'TIMED_OUT', 'REJECTED']);
    const succeeded = await thingsWith(clients.iot, jobs, ['SUCCEEDED']);
    expect(failed.length).toBeGreaterThan(0);

    const headers = { 'idempotency-key': 'retry-rr-orig-1' };
    const retry = await call(stack, 'POST', `/releases/${id}/retry`, { body: {}, headers });
    expect(retry.status).toBe(202);
    expect(retry.json.release).toMatchObject({ retryOf: id, jobTemplateId: 'fw-2-0' });
    const retryId: string = retry.json.release.releaseId;
    const again = await call(stack, 'POST', `/releases/${id}/retry`, { body: {}, headers });
    expect(again.json.release.releaseId).toBe(retryId);

    const retried = await runUntilApi(stack, retryId, ended, 'retry ended');
    expect(memberships.joined(targetSetGroupName(retryId))).toEqual(failed);
    expect(await groupExists(clients.iot, targetSetGroupName(retryId))).toBe(false);
    expect(retried.release.targetSet).toMatchObject({ things: failed.length });
    const retriedThings = await thingsWith(clients.iot, jobsOf(retried), [
      'SUCCEEDED',
      'FAILED',
      'TIMED_OUT',
      'REJECTED',
      'CANCELED',
      'REMOVED',
    ]);
    expect(retriedThings).toEqual(failed);

    const rollback = await call(stack, 'POST', `/releases/${id}/rollback`, {
      body: { jobTemplateId: 'fw-2-0', waves: [{ percentage: 50 }, { percentage: 100 }] },
    });
    expect(rollback.status).toBe(202);
    const rollbackId: string = rollback.json.release.releaseId;
    expect(rollback.json.release).toMatchObject({ rollbackOf: id });
    await runUntilApi(stack, rollbackId, ended, 'rollback ended');
    expect(memberships.joined(targetSetGroupName(rollbackId))).toEqual(succeeded);
    expect(await groupExists(clients.iot, targetSetGroupName(rollbackId))).toBe(false);

    const history = (await call(stack, 'GET', `/releases/${id}/history?limit=500`)).json.items;
    const links = history
      .filter((e: { type: string }) => e.type === 'RELEASE_LINKED')
      .map((e: { relatedReleaseId: string }) => e.relatedReleaseId);
    expect(links.sort()).toEqual([retryId, rollbackId].sort());
    for (const derived of [retryId, rollbackId]) {
      const first = (await call(stack, 'GET', `/releases/${derived}/history`)).json.items[0];
      expect(first).toMatchObject({ type: 'RELEASE_CREATED', relatedReleaseId: id });
    }
  });
});

describe('the automatic rollback', () => {
  const env = useWorkflowStack({
    fleet: { size: 40, canaryShare: 0 },
    // Run times spread widely: when the wave fails, some devices are still running, and finish after.
    profiles: {
      default: {
        outcomes: { fail: 0.5 },
        startLatency: { medianSeconds: 5, spread: 0 },
        runLatency: { medianSeconds: 120, spread: 1.5 },
      },
      overrides: [],
    },
  });

  it('rolls a release failing on its first cohort back by itself, over exactly the things that took the version', async () => {
    const { stack, clients } = env();
    const memberships = membershipsOf(stack.iot.registry.things);
    const id = await createReleaseOk(
      stack,
      releaseRequest({
        releaseId: 'auto-rb',
        waves: [{ percentage: 50, failureThresholdPercent: 20, minExecutedThings: 4 }, { percentage: 100 }],
        onFailure: { rollback: { jobTemplateId: 'fw-2-0' } },
      }),
    );
    const failedRelease = await runUntilApi(stack, id, ended, 'ended');
    expect(failedRelease.release.status).toBe('FAILED');
    expect(notificationTrail(stack, id)).toContain('Rollback Started');
    const rollbackId = `${id}-rollback`;
    const rolledBack = await runUntilApi(stack, rollbackId, ended, 'rollback ended');
    expect(rolledBack.release).toMatchObject({ rollbackOf: id, createdBy: 'fleetwave' });
    const succeeded = await thingsWith(clients.iot, jobsOf(failedRelease), ['SUCCEEDED']);
    // The wave failed while some of its devices were running: they ended after it, and count.
    const ranOn = failedRelease.waves[0].counts.numberOfInProgressThings;
    expect(ranOn).toBeGreaterThan(0);
    expect(succeeded.length).toBeGreaterThan(0);
    expect(memberships.joined(targetSetGroupName(rollbackId))).toEqual(succeeded);
    expect(await groupExists(clients.iot, targetSetGroupName(rollbackId))).toBe(false);
    // Nothing the wave never reached, and nothing of wave 2, which never started.
    expect(failedRelease.waves[1].status).toBe('CANCELED');
  });
});

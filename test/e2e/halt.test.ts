/**
 * Pause with `haltRollout` end to end on the local stack, over REST and
 * through `fleetwave releases pause --halt-rollout`: the running wave's job
 * is canceled without force, the release is held with the wave
 * IN_PROGRESS, and a resume (also after a restart with `--data-dir`) runs
 * a follow-up job `<id>-w01-r1` over exactly the things that never started.
 * No device gets the wave twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeJobCommand, type IoTClient } from '@aws-sdk/client-iot';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../cli/exit-codes.js';
import { IotJobs } from '../../lib/adapters/iot-jobs.js';
import { followUpJobId } from '../../lib/domain/wave-halt.js';
import { waveJobId } from '../../lib/domain/wave-job.js';
import type { LocalStack } from '../../local/endpoints.js';
import { startDataDirStack } from '../support/data-dir-stack.js';
import { fixedProfile } from '../support/fleet.js';
import { fleetThings, stepUntilMidWave } from '../support/halt.js';
import { clientsFor, jobIds, useWorkflowStack } from '../support/workflow.js';
import { call, cliFor, createReleaseOk, runUntilApi } from './releases-support.js';

const profile = fixedProfile({ startSeconds: 5, runSeconds: 60 });

/** A release of two waves: ten things at two notifications a minute, then one more thing. */
async function createHaltable(stack: LocalStack, iot: IoTClient, releaseId: string, jobTemplateId: string) {
  const things = await fleetThings(iot, 11);
  const wave = {
    targets: { things: things.slice(0, 10) },
    jobExecutionsRolloutConfig: { maximumPerMinute: 2 },
  };
  await createReleaseOk(stack, {
    releaseId,
    jobTemplateId,
    waves: [wave, { targets: { things: things.slice(10) } }],
  });
  await runUntilApi(stack, releaseId, (v) => v.waves[0].status === 'IN_PROGRESS', 'wave 1 running');
  const atHalt = await stepUntilMidWave(stack, iot, waveJobId(releaseId, 1));
  expect(atHalt.queued).toBeGreaterThanOrEqual(1);
  return things.slice(0, 10);
}

/** The things that started in the wave's first job, and those its follow-up job ran. */
async function split(iot: IoTClient, releaseId: string) {
  const jobs = new IotJobs(iot, { throttleRetryAfterSeconds: 1 });
  const first = await jobs.listExecutions(waveJobId(releaseId, 1));
  const rest = await jobs.listExecutions(followUpJobId(releaseId, 1, 1));
  return {
    started: first.filter((e) => e.status !== 'CANCELED').map((e) => e.thingName),
    rest: rest.map((e) => e.thingName),
  };
}

/** The follow-up covers exactly the wave's things that never started; no thing is in both. */
function expectExactRest(things: string[], { started, rest }: { started: string[]; rest: string[] }) {
  expect(rest.length).toBeGreaterThanOrEqual(1);
  expect(rest.filter((t) => started.includes(t))).toEqual([]);
  expect([...started, ...rest].sort()).toEqual([...things].sort());
}

describe('pause with haltRollout over HTTP and the CLI', () => {
  const env = useWorkflowStack({ fleet: { size: 20, canaryShare: 0 }, profiles: profile });

  it('halts through the CLI, answers a REST repeat unchanged, and resumes over REST with the rest of the wave', async () => {
    const { stack, clients } = env();
    const id = 'e2e-halt';
    const things = await createHaltable(stack, clients.iot, id, 'fw-2-0');

    const cli = cliFor(stack);
    const halted = await cli(['releases', 'pause', id, '--halt-rollout', '--comment', 'boot loop']);
    expect(halted.code).toBe(ExitCode.OK);
    expect(halted.out).toContain(`Paused release ${id}: now IN_PROGRESS`);
    expect(halted.out).toContain('its running wave is halted');
    const job = await clients.iot.send(new DescribeJobCommand({ jobId: waveJobId(id, 1) }));
    expect(job.job?.status).toBe('CANCELED');
    expect(job.job?.forceCanceled ?? false).toBe(false);

    const now = await call(stack, 'GET', `/releases/${id}`);
    expect(now.json.release.pause).toMatchObject({
      comment: 'boot loop',
      haltRollout: true,
      haltedJobId: waveJobId(id, 1),
    });
    const again = await call(stack, 'POST', `/releases/${id}/pause`, { body: { haltRollout: true } });
    expect(again.status).toBe(200);
    expect(again.json.release).toEqual(now.json.release);

    const held = await runUntilApi(stack, id, (v) => v.release.status === 'PAUSED', 'held');
    expect(held.waves.map((w: { status: string }) => w.status)).toEqual(['IN_PROGRESS', 'PENDING']);
    expect(held.waves[0].halt).toMatchObject({ jobId: waveJobId(id, 1) });
    expect((await jobIds(clients)).filter((j) => j.startsWith(`${id}-`))).toEqual([waveJobId(id, 1)]);

    const resumed = await call(stack, 'POST', `/releases/${id}/resume`, { body: { comment: 'fixed' } });
    expect(resumed.status).toBe(200);
    const done = await runUntilApi(stack, id, (v) => v.release.status === 'SUCCEEDED', 'succeeded');
    expect(done.waves[0]).toMatchObject({ status: 'SUCCEEDED', followUpJobIds: [followUpJobId(id, 1, 1)] });
    expect(done.waves[0].counts.numberOfSucceededThings).toBe(10);
    expect((await jobIds(clients)).filter((j) => j.startsWith(`${id}-`))).toEqual(
      [waveJobId(id, 1), followUpJobId(id, 1, 1), waveJobId(id, 2)].sort(),
    );
    expectExactRest(things, await split(clients.iot, id));

    const ended = await call(stack, 'POST', `/releases/${id}/pause`, { body: { haltRollout: true } });
    expect(ended.status).toBe(409);
    const missing = await call(stack, 'POST', '/releases/no-such-release/pause', {
      body: { haltRollout: true },
    });
    expect(missing.status).toBe(404);
    const bad = await call(stack, 'POST', `/releases/${id}/pause`, { body: { haltRollout: 'yes' } });
    expect(bad.status).toBe(400);
  });
});

describe('pause with haltRollout across a restart with --data-dir', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleetwave-halt-resume-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const fleet = { size: 20, seed: 'halt-resume' };

  it('a halted release stays held across a restart, and its resume runs the rest of the wave', async () => {
    const id = 'e2e-halt-restart';
    const first = await startDataDirStack(dataDir, fleet);
    let things: string[];
    try {
      first.stack.fleet.simulator.setProfiles(profile);
      const clients = clientsFor(first.stack);
      try {
        things = await createHaltable(first.stack, clients.iot, id, 'demo-ota');
      } finally {
        clients.destroy();
      }
      const halted = await call(first.stack, 'POST', `/releases/${id}/pause`, {
        body: { haltRollout: true },
      });
      expect(halted.status).toBe(200);
      await runUntilApi(first.stack, id, (v) => v.release.status === 'PAUSED', 'held');
    } finally {
      await first.close();
    }

    const second = await startDataDirStack(dataDir, fleet);
    try {
      expect(second.releases).toContainEqual(
        expect.objectContaining({ releaseId: id, status: 'PAUSED', resumesAt: { step: 'hold' } }),
      );
      const clients = clientsFor(second.stack);
      try {
        const held = await runUntilApi(second.stack, id, (v) => v.release.status === 'PAUSED', 'held again');
        expect(held.waves[0]).toMatchObject({ status: 'IN_PROGRESS', halt: { jobId: waveJobId(id, 1) } });
        const resumed = await call(second.stack, 'POST', `/releases/${id}/resume`);
        expect(resumed.status).toBe(200);
        const done = await runUntilApi(
          second.stack,
          id,
          (v) => v.release.status === 'SUCCEEDED',
          'succeeded',
        );
        expect(done.waves[0].followUpJobIds).toEqual([followUpJobId(id, 1, 1)]);
        expectExactRest(things, await split(clients.iot, id));
      } finally {
        clients.destroy();
      }
    } finally {
      await second.close();
    }
  });
});

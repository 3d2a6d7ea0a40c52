/**
 * `npm start --data-dir`: a release under way when the process dies carries
 * on after a restart. The process is killed with SIGKILL, not SIGTERM: a
 * kill runs no shutdown code, so what the restart finds is only what was
 * written while the stack ran (DynamoDB's log, the IoT snapshot written on
 * every job change), the harder of the two cases; a SIGTERM also writes a
 * last snapshot on the way out. A paused release stays paused across the
 * restart, held again by the new execution, until a resume takes it on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeJobCommand, IoTClient, ListJobsCommand } from '@aws-sdk/client-iot';
import { afterAll, describe, expect, it } from 'vitest';
import {
  fleetwave,
  getRelease,
  groupAlive,
  postDemoRelease,
  type StartedStack,
  startNpmStack,
} from './npm-start-support.js';

const releaseId = 'resume-1';
const iotOf = (awsUrl: string) =>
  new IoTClient({
    endpoint: awsUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });

/** Polls `check` every 200 ms of wall time until it holds or `timeoutMs` passes. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const giveUp = Date.now() + timeoutMs;
  while (Date.now() < giveUp) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting until ${what}`);
}

describe('npm start --data-dir: resume after the process died', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleetwave-resume-'));
  const args = ['--fleet-size', '500', '--time-scale', '60', '--data-dir', dataDir];
  const started: StartedStack[] = [];

  afterAll(async () => {
    for (const stack of started) if (groupAlive(stack.child.pid as number)) await stack.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a release killed during wave 2 ends SUCCEEDED after a restart, with exactly one IoT job per wave', async () => {
    const first = await startNpmStack(args);
    started.push(first);
    const wave = (percentage: number, minExecutedThings: number) => ({
      percentage,
      successThresholdPercent: 90,
      minExecutedThings,
    });
    expect(
      await postDemoRelease(first.apiUrl, releaseId, [wave(10, 40), wave(40, 100), wave(100, 100)]),
    ).toBe(202);
    const iot = iotOf(first.awsUrl);
    await until('wave 2 has its IoT job', async () => {
      await iot.send(new DescribeJobCommand({ jobId: `${releaseId}-w02` }));
      return true;
    });
    iot.destroy();
    const before = await getRelease(first.apiUrl, releaseId);
    expect(before.release.currentWave).toBe(2);
    expect(before.waves.map((w) => w.status)).toEqual(['SUCCEEDED', 'IN_PROGRESS', 'PENDING']);
    await first.stop('SIGKILL');

    const second = await startNpmStack(args);
    started.push(second);
    expect(second.output()).toContain(
      `release       ${releaseId} (IN_PROGRESS) resumed: wave 2 goes on with its job`,
    );
    await until('the release ended', async () => {
      const { release } = await getRelease(second.apiUrl, releaseId);
      return release.status !== 'IN_PROGRESS';
    });
    const after = await getRelease(second.apiUrl, releaseId);
    expect(after.release.status).toBe('SUCCEEDED');
    expect(after.release.currentWave).toBe(3);

    const iotAgain = iotOf(second.awsUrl);
    const { jobs = [] } = await iotAgain.send(new ListJobsCommand({ maxResults: 100 }));
    iotAgain.destroy();
    expect(jobs.map((j) => j.jobId).sort()).toEqual([
      `${releaseId}-w01`,
      `${releaseId}-w02`,
      `${releaseId}-w03`,
    ]);
    expect(after.waves.map((w) => w.jobId)).toEqual([
      `${releaseId}-w01`,
      `${releaseId}-w02`,
      `${releaseId}-w03`,
    ]);
    await second.stop('SIGINT');
    // Virtual time at 60x sets most of this test's wall time (about 40 s), whatever the machine does:
    // room for both waits above on a loaded machine.
  }, 200_000);
  it('a release paused through the CLI stays paused across a kill and a restart, and a resume takes it on', async () => {
    const id = 'resume-paused';
    const first = await startNpmStack(args);
    started.push(first);
    // ~1.3 % of demo devices fail: a threshold well above that keeps IoT's abort out of this test.
    const wave = (percentage: number) => ({
      percentage,
      successThresholdPercent: 90,
      failureThresholdPercent: 50,
      minExecutedThings: 40,
    });
    expect(await postDemoRelease(first.apiUrl, id, [wave(10), wave(100)])).toBe(202);
    await until(
      'wave 1 runs',
      async () => (await getRelease(first.apiUrl, id)).waves[0]?.status === 'IN_PROGRESS',
    );
    const paused = await fleetwave(first.apiUrl, [
      'releases',
      'pause',
      id,
      '--comment',
      'check the canaries',
    ]);
    expect(paused.code).toBe(0);
    await until(
      'the release is held',
      async () => (await getRelease(first.apiUrl, id)).release.status === 'PAUSED',
    );
    await first.stop('SIGKILL');

    const second = await startNpmStack(args);
    started.push(second);
    expect(second.output()).toContain(
      `release       ${id} (PAUSED) resumed: stays paused, held again until it is resumed`,
    );
    const held = await getRelease(second.apiUrl, id);
    expect(held.release.status).toBe('PAUSED');
    expect(held.waves.map((w) => w.status)).toEqual(['SUCCEEDED', 'PENDING']);

    const resumed = await fleetwave(second.apiUrl, ['releases', 'resume', id]);
    expect(resumed.code).toBe(0);
    await until('the release ended', async () => {
      const { release } = await getRelease(second.apiUrl, id);
      return release.status !== 'IN_PROGRESS' && release.status !== 'PAUSED';
    });
    expect((await getRelease(second.apiUrl, id)).release.status).toBe('SUCCEEDED');
    const iot = iotOf(second.awsUrl);
    const { jobs = [] } = await iot.send(new ListJobsCommand({ maxResults: 100 }));
    iot.destroy();
    expect(
      jobs
        .map((j) => j.jobId)
        .filter((j) => j?.startsWith(`${id}-`))
        .sort(),
    ).toEqual([`${id}-w01`, `${id}-w02`]);
    await second.stop('SIGINT');
  }, 200_000);
});

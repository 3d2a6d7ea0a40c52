/**
 * `npm start` as a newcomer uses it: one child process on free ports with a
 * small demo fleet, driven through the `fleetwave` command (also a child
 * process), then stopped with Ctrl-C (SIGINT to its process group).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../cli/exit-codes.js';
import {
  fleetwave,
  getRelease,
  groupAlive,
  portIsFree,
  type StartedStack,
  startNpmStack,
} from './npm-start-support.js';

describe('npm start: the local stack in one process', () => {
  let stack: StartedStack;

  beforeAll(async () => {
    stack = await startNpmStack(['--fleet-size', '200', '--time-scale', '2000']);
  });
  afterAll(async () => {
    if (stack && groupAlive(stack.child.pid as number)) await stack.stop('SIGKILL');
  });

  it('prints the endpoints, the seeded fleet and three commands to try', () => {
    const banner = stack.output();
    expect(banner).toContain(`REST API      ${stack.apiUrl}`);
    expect(banner).toContain(`AWS endpoint  ${stack.awsUrl}`);
    expect(banner).toMatch(/MQTT {10}mqtt:\/\/127\.0\.0\.1:\d+ {3}plain/);
    expect(banner).toMatch(/fleet {9}200 things in group fleet \(seed fleetwave\)/);
    expect(banner).toMatch(/misbehaving canary-bad \(\d+\)/);
    expect(banner).toContain('job template demo-ota');
    expect(banner).toContain('npx fleetwave releases create -f demo/demo-release.json --watch');
    expect(banner).toContain(`aws --endpoint-url ${stack.awsUrl}`);
    expect(banner).toContain('npm run demo');
    expect(banner).toContain(`dashboard     ${stack.apiUrl}/`);
    expect(banner).toContain(`npx fleetwave events tail --endpoint-url ${stack.awsUrl}`);
  });

  it('serves the dashboard at the REST API port, where the banner says', async () => {
    const page = await fetch(`${stack.apiUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('/dashboard/assets/app.js');
  });

  it('runs a release of a template created through the CLI to SUCCEEDED; watch exits 0; currentWave follows the waves', async () => {
    const documentFile = join(mkdtempSync(join(tmpdir(), 'fleetwave-npm-start-')), 'job.json');
    writeFileSync(documentFile, JSON.stringify({ operation: 'install', version: '9.9.0' }));
    const created = await fleetwave(stack.apiUrl, [
      'templates',
      'create',
      '--id',
      'fw-npm-start',
      '--description',
      'firmware 9.9',
      '--document-file',
      documentFile,
    ]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(ExitCode.OK);

    // Failures may stop a wave only once a sample of it finished (IoT's minNumberOfExecutedThings).
    const wave = (percentage: number, minExecutedThings: number) => ({
      percentage,
      successThresholdPercent: 90,
      minExecutedThings,
    });
    const requestFile = join(dirname(documentFile), 'release.json');
    writeFileSync(
      requestFile,
      JSON.stringify({ targets: { thingGroups: ['fleet'] }, waves: [wave(10, 20), wave(100, 100)] }),
    );
    const watched = await fleetwave(stack.apiUrl, [
      'releases',
      'create',
      '-f',
      requestFile,
      '--template',
      'fw-npm-start',
      '--release-id',
      'npm-start-1',
      '--watch',
      '--interval',
      '200ms',
    ]);
    expect(watched.stderr).toContain('Release npm-start-1 SUCCEEDED');
    expect(watched.code).toBe(ExitCode.OK);
    const view = await getRelease(stack.apiUrl, 'npm-start-1');
    expect(view.release.status).toBe('SUCCEEDED');
    expect(view.release.currentWave).toBe(2);
  });

  it('stops on Ctrl-C: no process of the group is left and both ports are free', async () => {
    const pgid = stack.child.pid as number;
    await stack.stop('SIGINT');
    expect(stack.output()).toContain('SIGINT: stopping');
    expect(groupAlive(pgid)).toBe(false);
    expect(await portIsFree(stack.apiPort)).toBe(true);
    expect(await portIsFree(stack.awsPort)).toBe(true);
  });
});

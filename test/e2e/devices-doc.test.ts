/**
 * docs/devices.md run as written, with bash, curl, the AWS CLI, the
 * fleetwave CLI, the reference agent and mqtt.js's command line, from the
 * repository root as the doc says, against `npm start`. The doc's addresses
 * (4566, 3000, 8883, 1883) become the test stack's; `FLEETWAVE_API_URL`
 * points the CLI at its API, whose default the doc relies on.
 *
 * The doc starts the stack at time scale 1; the test runs it at 60, with a
 * demo fleet of 100, so the simulated devices of a wave finish in seconds.
 * The doc's template gives the agent a 30-minute in-progress timeout: 30 s
 * of wall time at 60, against the agent's 5-second install step and a few
 * round trips, with room for a busy CI machine.
 *
 * `aws` is Debian's AWS CLI v2 (`/usr/bin/aws`, which `.ci/run` installs),
 * whatever else is on PATH, so the doc is held to the same CLI here and on CI.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateJobCommand, DescribeThingCommand, type IoTClient } from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAwsCli } from '../support/aws-cli.js';
import { ended, executionOf, iotClient, waitForRelease } from './device-agents-support.js';
import { pathWithDebianAws, readDoc, shBlockOf } from './doc-blocks.js';
import { groupAlive, type StartedStack, startNpmStack } from './npm-start-support.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const doc = readDoc('docs/devices.md');
const block = (marker: string) => shBlockOf(doc, marker);

/** What the doc's commands leave in the working directory; removed after the test. */
const LEFT_BEHIND = [
  'device.pem.crt',
  'device.public.key',
  'device.private.key',
  'fleetwave-ca.pem',
  'firmware.bin',
  'my-fw-job.json',
  'my-fw-template.yaml',
];

/** The lines of the registration block that set up the shell the later blocks use (`export`, `IOT=`). */
const shellSetup = block('create-keys-and-certificate')
  .split('\n')
  .filter((line) => line.startsWith('export AWS_') || line.startsWith('IOT='))
  .join('\n');

/** `script` with the doc's addresses replaced by `stack`'s. */
function onStack(stack: StartedStack, script: string): string {
  return script
    .replaceAll('http://127.0.0.1:4566', stack.awsUrl)
    .replaceAll('http://127.0.0.1:3000', stack.apiUrl)
    .replace(/\b8883\b/g, String(stack.mqttsPort))
    .replace(/\b1883\b/g, String(stack.mqttPort));
}

function shellEnv(stack: StartedStack): NodeJS.ProcessEnv {
  return { ...process.env, PATH: pathWithDebianAws(), FLEETWAVE_API_URL: stack.apiUrl };
}

/** Runs `script` in bash from the repository root; any failing command fails it. Resolves stdout. */
function run(stack: StartedStack, script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      ['-c', `set -eu\n${onStack(stack, script)}`],
      { cwd: root, env: shellEnv(stack), timeout: 150_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`doc block failed: ${error.message}\n${stderr}\n${stdout}`))
          : resolve(stdout),
    );
  });
}

/** A long-running block (the agent, `mqtt sub`) in its own process group; lines it prints can be awaited. */
interface Background {
  child: ChildProcess;
  output(): string;
  /** Resolves once the output contains `text`; rejects if the block ends first. */
  prints(text: string): Promise<void>;
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

function background(stack: StartedStack, script: string): Background {
  const child = spawn('bash', ['-c', onStack(stack, script)], {
    cwd: root,
    env: shellEnv(stack),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // 'close': every process of the block that holds its output (the agent under npx and tsx) has ended.
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
  }
  const pgid = child.pid as number;
  return {
    child,
    output: () => output,
    prints: (text) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!output.includes(text)) return;
          child.stdout?.off('data', check);
          resolve();
        };
        child.stdout?.on('data', check);
        check();
        void exited.then(() =>
          output.includes(text) ? resolve() : reject(new Error(`ended before "${text}":\n${output}`)),
        );
      }),
    stop: async (signal) => {
      if (groupAlive(pgid)) process.kill(-pgid, signal);
      await exited;
    },
  };
}

describe('docs/devices.md, run as written against npm start', () => {
  let stack: StartedStack;
  let iot: IoTClient;
  const started: Background[] = [];

  beforeAll(async () => {
    expectAwsCli();
    // What a run cut short left (the files are git-ignored): the doc's commands write them afresh.
    for (const file of LEFT_BEHIND) rmSync(join(root, file), { force: true });
    expect(block('npm start --')).toContain('npm start -- --time-scale 1');
    stack = await startNpmStack(['--time-scale', '60', '--fleet-size', '100']);
    iot = iotClient(stack);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(started.map((b) => b.stop('SIGKILL')));
    iot?.destroy();
    await stack?.stop('SIGINT');
    for (const file of LEFT_BEHIND) rmSync(join(root, file), { force: true });
  }, 60_000);

  it('registers the device, runs the agent, rolls the firmware out to it and to the demo fleet, and polls over HTTPS', async () => {
    const registered = await run(stack, block('create-keys-and-certificate'));
    expect(registered).toContain(`"endpointAddress": "127.0.0.1:${stack.mqttsPort}"`);

    const agent = background(stack, block('examples/device-agent/agent.ts'));
    started.push(agent);
    await agent.prints('agent idle');
    // mqtt.js's command line on the plain port: it sees every notify-next of the device from here on.
    const subscriber = background(stack, block('npx mqtt sub'));
    started.push(subscriber);
    expect(agent.output()).toContain(
      `agent connected endpoint=127.0.0.1:${stack.mqttsPort} mqtt=5 thing=my-device`,
    );

    await run(stack, block('/_fleetwave/files/'));
    await run(stack, block('fleetwave templates create'));
    const watched = await run(stack, block('--things my-device --waves 100 --watch'));
    const releaseId = /release (\S+) IN_PROGRESS -> SUCCEEDED/.exec(watched)?.[1];
    expect(releaseId, watched).toBeDefined();
    const jobId = `${releaseId}-w01`;
    for (const step of [
      'IN_PROGRESS',
      'downloading 0%',
      'downloading 100%',
      'verified size=262144',
      'installing',
    ]) {
      expect(agent.output()).toContain(`job ${jobId} ${step}`);
    }
    await agent.prints(`job ${jobId} SUCCEEDED`);
    const described = await run(
      stack,
      `${shellSetup}\n${block('describe-job-execution --job-id <releaseId>-w01').replaceAll('<releaseId>', releaseId as string)}`,
    );
    expect(JSON.parse(described)).toEqual(['SUCCEEDED', { step: 'done', version: '1.0.0' }]);

    // Beside the simulated fleet: whichever wave the device lands in, the agent runs its job.
    const fleetWatch = await run(
      stack,
      `${shellSetup}\n${block('--targets fleet --waves 1,10,100 --watch')}`,
    );
    const fleetRelease = /release (\S+) IN_PROGRESS -> SUCCEEDED/.exec(fleetWatch)?.[1];
    expect(fleetRelease, fleetWatch).toBeDefined();
    const view = await waitForRelease(stack, fleetRelease as string, ended);
    const wave = view.waves.findIndex((w) => agent.output().includes(`job ${w.jobId} SUCCEEDED`));
    expect(wave, agent.output()).toBeGreaterThanOrEqual(0);

    // The HTTPS jobs data plane, with the agent stopped so the job waits for these calls.
    await agent.stop('SIGTERM');
    expect(agent.output()).toContain('agent stopping SIGTERM');
    expect(agent.output()).toContain('agent stopped');
    const { thingArn } = await iot.send(new DescribeThingCommand({ thingName: 'my-device' }));
    await iot.send(
      new CreateJobCommand({
        jobId: 'my-device-https',
        targets: [thingArn as string],
        document: JSON.stringify({ operation: 'reboot' }),
      }),
    );
    const polled = await run(
      stack,
      `${shellSetup}\n${block('$JOBS start-next-pending-job-execution').replaceAll('<jobId>', 'my-device-https')}`,
    );
    expect(polled).toContain('"jobId": "my-device-https"');
    expect(await executionOf(iot, 'my-device-https', 'my-device')).toEqual({
      status: 'SUCCEEDED',
      details: { step: 'done' },
    });
    const viaVariable = await run(
      stack,
      `${shellSetup}\n${block('export AWS_ENDPOINT_URL_IOT_JOBS_DATA_PLANE')}`,
    );
    expect(JSON.parse(viaVariable)).toEqual({ inProgressJobs: [], queuedJobs: [] });
    await subscriber.prints('"jobId":"my-device-https"');
    expect(subscriber.output()).toContain('$aws/things/my-device/jobs/notify-next {');
  }, 240_000);
});

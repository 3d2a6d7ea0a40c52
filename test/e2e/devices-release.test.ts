/**
 * Real device agents and simulated things in the same releases on `npm start`:
 * the reference agent (`examples/device-agent/`, AWS's device SDK) as child
 * processes over mutual TLS, each on an external thing with its own
 * certificate, downloading firmware uploaded through the files route.
 *
 * Virtual time runs at 60 (a virtual minute per wall-clock second), so the
 * 200 simulated things of a wave (a few virtual minutes each) finish in
 * seconds. An agent needs real time: from its start-next to its last update
 * it downloads the firmware and makes a handful of MQTT round trips, a few
 * seconds at most on a loaded machine. The template the agents finish
 * under gives them 120 virtual minutes (two wall-clock minutes); the one
 * that times out a killed agent gives 15 (15 s), long enough that the agent
 * is killed while its execution is still IN_PROGRESS, short enough to wait for.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddThingToThingGroupCommand,
  CreateThingGroupCommand,
  type IoTClient,
  ListThingsInThingGroupCommand,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AgentProcess,
  type DeviceIdentity,
  ended,
  executionOf,
  iotClient,
  post,
  registerExternalThing,
  saveRootCa,
  startAgent,
  untilStep,
  waitForRelease,
} from './device-agents-support.js';
import { type StartedStack, startNpmStack } from './npm-start-support.js';

const FIRMWARE_BUCKET = 'e2e-firmware';
const FIRMWARE_KEY = 'controller/3.0.0.bin';
/** The agents' template: a long in-progress timeout (see above). */
const TEMPLATE = 'agents-fw-3-0';
/** The same firmware under a 15-minute in-progress timeout. */
const SHORT_TEMPLATE = 'agents-fw-3-0-short';

/** The executions a wave's counters count, whatever their status. */
const executions = (counts: Record<string, number>): number =>
  Object.values(counts).reduce((a, b) => a + b, 0);

describe('reference agents beside simulated things on npm start', () => {
  let stack: StartedStack;
  let iot: IoTClient;
  let dir: string;
  let caFile: string;
  const firmware = randomBytes(256 * 1024);
  const sha256 = createHash('sha256').update(firmware).digest('hex');
  /** Every agent a test started, killed after the tests whatever happened. */
  const agents: AgentProcess[] = [];
  /** The simulated fleet split in two thing groups, one per wave. */
  let simulated: string[] = [];

  const device = (thingName: string): Promise<DeviceIdentity> => registerExternalThing(iot, dir, thingName);
  const agent = async (identity: DeviceIdentity, flags: readonly string[] = []) => {
    const started = await startAgent({ stack, caFile, device: identity, flags });
    agents.push(started);
    return started;
  };

  const release = (releaseId: string, jobTemplateId: string, waves: readonly object[]) =>
    post(stack, '/releases', { releaseId, jobTemplateId, waves }, 202);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fleetwave-devices-'));
    stack = await startNpmStack(['--time-scale', '60', '--fleet-size', '400']);
    iot = iotClient(stack);
    caFile = await saveRootCa(stack, dir);

    const upload = await fetch(`${stack.awsUrl}/_fleetwave/files/${FIRMWARE_BUCKET}/${FIRMWARE_KEY}`, {
      method: 'PUT',
      body: firmware,
    });
    expect(upload.status, await upload.text()).toBe(200);
    const document = JSON.stringify({
      operation: 'ota-update',
      firmware: {
        version: '3.0.0',
        url: `\${aws:iot:s3-presigned-url:https://${FIRMWARE_BUCKET}.s3.amazonaws.com/${FIRMWARE_KEY}}`,
        sha256,
        sizeBytes: firmware.length,
      },
    });
    for (const [jobTemplateId, minutes] of [
      [TEMPLATE, 120],
      [SHORT_TEMPLATE, 15],
    ] as const) {
      await post(
        stack,
        '/job-templates',
        {
          jobTemplateId,
          description: `Controller firmware 3.0.0, ${minutes}-minute in-progress timeout`,
          document,
          presignedUrlConfig: { roleArn: 'arn:aws:iam::123456789012:role/e2e-firmware', expiresInSec: 3600 },
          timeoutConfig: { inProgressTimeoutInMinutes: minutes },
          jobExecutionsRolloutConfig: { maximumPerMinute: 1000 },
        },
        201,
      );
    }

    const names = new Set<string>();
    let nextToken: string | undefined;
    do {
      const page = await iot.send(
        new ListThingsInThingGroupCommand({ thingGroupName: 'fleet', recursive: true, nextToken }),
      );
      for (const name of page.things ?? []) names.add(name);
      nextToken = page.nextToken;
    } while (nextToken);
    simulated = [...names].sort();
    expect(simulated).toHaveLength(400);
    for (const [group, members] of [
      ['lab-wave-1', simulated.slice(0, 200)],
      ['lab-wave-2', simulated.slice(200)],
    ] as const) {
      await iot.send(new CreateThingGroupCommand({ thingGroupName: group }));
      for (let i = 0; i < members.length; i += 20) {
        await Promise.all(
          members
            .slice(i, i + 20)
            .map((thingName) =>
              iot.send(new AddThingToThingGroupCommand({ thingGroupName: group, thingName })),
            ),
        );
      }
    }
  }, 180_000);

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop('SIGKILL')));
    iot?.destroy();
    await stack?.stop('SIGINT');
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('a two-wave release whose first wave holds three agents and 200 simulated things reaches SUCCEEDED', async () => {
    const devices = await Promise.all(['agent-a1', 'agent-a2', 'agent-a3'].map(device));
    // Two on MQTT 5 (the agent's default), one on MQTT 3.1.1.
    const started = await Promise.all([
      agent(devices[0] as DeviceIdentity),
      agent(devices[1] as DeviceIdentity),
      agent(devices[2] as DeviceIdentity, ['--mqtt', '3.1.1']),
    ]);
    expect(started.map((a) => /mqtt=(\S+)/.exec(a.stdout())?.[1])).toEqual(['5', '5', '3.1.1']);

    const releaseId = 'agents-two-waves';
    await release(releaseId, TEMPLATE, [
      { targets: { thingGroups: ['lab-wave-1'], things: devices.map((d) => d.thingName) } },
      { targets: { thingGroups: ['lab-wave-2'] } },
    ]);
    const jobId = `${releaseId}-w01`;
    for (const a of started) {
      await a.line(new RegExp(`^job ${jobId} SUCCEEDED$`));
      const out = a.stdout();
      expect(out).toContain(`job ${jobId} downloading 100%`);
      expect(out).toContain(`job ${jobId} verified size=${firmware.length} sha256=${sha256}`);
      expect(await executionOf(iot, jobId, a.device.thingName)).toEqual({
        status: 'SUCCEEDED',
        details: { step: 'done', version: '3.0.0' },
      });
    }

    const view = await waitForRelease(stack, releaseId, ended);
    expect(view.release.status, view.release.statusReason).toBe('SUCCEEDED');
    expect(view.waves.map((w) => w.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    const [first, second] = view.waves;
    // Every execution of the first wave's job: the 200 simulated things and the three agents.
    const counts = first?.counts ?? {};
    expect(executions(counts)).toBe(203);
    expect(counts.numberOfSucceededThings).toBeGreaterThanOrEqual(3);
    expect(counts.numberOfQueuedThings).toBe(0);
    expect(counts.numberOfInProgressThings).toBe(0);
    expect(executions(second?.counts ?? {})).toBe(200);
    // The agents were in the first wave only.
    for (const a of started) expect(a.stdout()).not.toContain(`${releaseId}-w02`);
  }, 180_000);

  it('agents that report FAILED move the wave failure count past its threshold: the wave and the release end FAILED', async () => {
    const devices = await Promise.all(['agent-f1', 'agent-f2'].map(device));
    const failing = await Promise.all(devices.map((d) => agent(d, ['--outcome', 'fail'])));
    const releaseId = 'agents-failing';
    const others = simulated.slice(200, 208);
    await release(releaseId, TEMPLATE, [
      { targets: { things: [...devices.map((d) => d.thingName), ...others] }, failureThresholdPercent: 15 },
      { targets: { thingGroups: ['lab-wave-2'] } },
    ]);
    const jobId = `${releaseId}-w01`;
    for (const a of failing) {
      await a.line(new RegExp(`^job ${jobId} FAILED install failed \\(--outcome fail\\)$`));
      expect(await executionOf(iot, jobId, a.device.thingName)).toEqual({
        status: 'FAILED',
        details: { step: 'installing', reason: 'install failed (--outcome fail)' },
      });
    }

    const view = await waitForRelease(stack, releaseId, ended);
    expect(view.release.status).toBe('FAILED');
    const [first, second] = view.waves;
    expect(first?.status).toBe('FAILED');
    expect(first?.expectedThings).toBe(10);
    const counts = first?.counts ?? {};
    const failed =
      (counts.numberOfFailedThings ?? 0) +
      (counts.numberOfRejectedThings ?? 0) +
      (counts.numberOfTimedOutThings ?? 0);
    // The agents alone crossed the threshold: the simulated things' seeded fates hold no failure.
    expect(failed).toBe(2);
    expect(first?.reason).toContain(`${failed} of 10 things failed, rejected or timed out`);
    expect(first?.reason).toContain('reaching the failure threshold of 15%');
    expect(view.release.statusReason).toContain('failure threshold of 15%');
    expect(second?.jobId).toBeUndefined();
  }, 180_000);

  it("an agent killed in the middle of its job is timed out by the template's in-progress timeout, and the wave sees it", async () => {
    const identity = await device('agent-k1');
    // An install step far longer than the test: the agent is killed in it.
    const doomed = await agent(identity, ['--step-seconds', '600']);
    const releaseId = 'agents-killed';
    await release(releaseId, SHORT_TEMPLATE, [{ targets: { things: [identity.thingName] } }]);
    const jobId = `${releaseId}-w01`;
    await doomed.line(new RegExp(`^job ${jobId} installing$`));
    // The agent prints the step before it reports it: kill it once the service has it.
    await untilStep(iot, jobId, identity.thingName, 'installing');
    await doomed.stop('SIGKILL');
    expect(doomed.stdout()).not.toContain('agent stopping');
    // Killed before the timeout: the execution is still where the agent left it.
    expect(await executionOf(iot, jobId, identity.thingName)).toEqual({
      status: 'IN_PROGRESS',
      details: { step: 'installing' },
    });

    const view = await waitForRelease(stack, releaseId, ended);
    expect((await executionOf(iot, jobId, identity.thingName)).status).toBe('TIMED_OUT');
    expect(view.release.status).toBe('FAILED');
    const [wave] = view.waves;
    expect(wave?.status).toBe('FAILED');
    expect(wave?.counts).toMatchObject({ numberOfTimedOutThings: 1, numberOfInProgressThings: 0 });
    expect(wave?.reason).toContain('1 of 1 things failed, rejected or timed out');
  }, 180_000);

  it('a release canceled while agents install: without force the running agent finishes SUCCEEDED; with force its next update is refused and the execution is CANCELED', async () => {
    /** Starts an agent on its own release and cancels that release once the agent is installing. */
    const cancelWhileInstalling = async (thingName: string, force: boolean) => {
      const identity = await device(thingName);
      // The cancel lands during the install step; the agent reports again when the step ends.
      const running = await agent(identity, ['--step-seconds', '10']);
      const releaseId = `agents-canceled-${force ? 'forced' : 'plain'}`;
      await release(releaseId, TEMPLATE, [{ targets: { things: [thingName] } }]);
      const jobId = `${releaseId}-w01`;
      expect(await untilStep(iot, jobId, thingName, 'installing')).toEqual({
        status: 'IN_PROGRESS',
        details: { step: 'installing' },
      });
      await post(stack, `/releases/${releaseId}/cancel`, { force, comment: 'stop it' }, 200);
      return { running, releaseId, jobId, thingName };
    };
    const [plain, forced] = await Promise.all([
      cancelWhileInstalling('agent-c1', false),
      cancelWhileInstalling('agent-c2', true),
    ]);

    await plain.running.line(new RegExp(`^job ${plain.jobId} SUCCEEDED$`));
    expect((await executionOf(iot, plain.jobId, plain.thingName)).status).toBe('SUCCEEDED');
    await forced.running.line(new RegExp(`^job ${forced.jobId} ABANDONED `));
    expect(forced.running.stdout()).not.toContain(`job ${forced.jobId} SUCCEEDED`);
    expect((await executionOf(iot, forced.jobId, forced.thingName)).status).toBe('CANCELED');
    for (const { releaseId } of [plain, forced]) {
      expect((await waitForRelease(stack, releaseId, ended)).release.status).toBe('CANCELED');
    }
  }, 180_000);
});

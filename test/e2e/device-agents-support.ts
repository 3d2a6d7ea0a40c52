/**
 * Real devices against `npm start`, as a device developer brings them: an
 * external thing registered with the AWS SDK (its own key and certificate
 * from CreateKeysAndCertificate, attached as its principal), the local CA
 * from `/_fleetwave/ca.pem`, and the reference agent
 * (`examples/device-agent/agent.ts`) as a child process over mutual TLS.
 * An agent runs in its own process group, so a kill reaches the agent
 * itself whatever starts it, and the tests can wait on the lines it prints.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  DescribeJobExecutionCommand,
  IoTClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-iot';
import { groupAlive, type StartedStack } from './npm-start-support.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const agentScript = fileURLToPath(new URL('../../examples/device-agent/agent.ts', import.meta.url));

/** The AWS SDK's IoT control-plane client on the stack's AWS endpoint; any credentials do. */
export function iotClient(stack: StartedStack): IoTClient {
  return new IoTClient({
    endpoint: stack.awsUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
}

/** Writes the local root CA, as `GET /_fleetwave/ca.pem` serves it, to `dir`; returns its path. */
export async function saveRootCa(stack: StartedStack, dir: string): Promise<string> {
  const response = await fetch(`${stack.awsUrl}/_fleetwave/ca.pem`);
  if (!response.ok) throw new Error(`GET /_fleetwave/ca.pem answered ${response.status}`);
  const file = join(dir, 'fleetwave-ca.pem');
  writeFileSync(file, await response.text());
  return file;
}

/** A registered device: its thing, and its certificate and key on disk. */
export interface DeviceIdentity {
  thingName: string;
  certFile: string;
  keyFile: string;
}

/**
 * Registers `thingName` as an external thing (`fleetwave:simulated` =
 * `"false"`) with an ACTIVE certificate of its own attached as its principal,
 * writing the certificate and private key to `dir`.
 */
export async function registerExternalThing(
  iot: IoTClient,
  dir: string,
  thingName: string,
): Promise<DeviceIdentity> {
  await iot.send(
    new CreateThingCommand({
      thingName,
      attributePayload: { attributes: { 'fleetwave:simulated': 'false' } },
    }),
  );
  const made = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
  if (!made.certificatePem || !made.keyPair?.PrivateKey || !made.certificateArn) {
    throw new Error(`CreateKeysAndCertificate answered no certificate for ${thingName}`);
  }
  await iot.send(new AttachThingPrincipalCommand({ thingName, principal: made.certificateArn }));
  const certFile = join(dir, `${thingName}.pem.crt`);
  const keyFile = join(dir, `${thingName}.private.key`);
  writeFileSync(certFile, made.certificatePem);
  writeFileSync(keyFile, made.keyPair.PrivateKey, { mode: 0o600 });
  return { thingName, certFile, keyFile };
}

/** The execution's status and `statusDetails` as DescribeJobExecution answers them. */
export async function executionOf(
  iot: IoTClient,
  jobId: string,
  thingName: string,
): Promise<{ status?: string; details?: Record<string, string> }> {
  const { execution } = await iot.send(new DescribeJobExecutionCommand({ jobId, thingName }));
  return { status: execution?.status, details: execution?.statusDetails?.detailsMap };
}

/**
 * Reads the execution until the service has the agent's `step` in its
 * `statusDetails` (an agent prints a step just before it reports it), or
 * until the execution ended; resolves what it read last. The
 * execution need not exist yet.
 */
export async function untilStep(
  iot: IoTClient,
  jobId: string,
  thingName: string,
  step: string,
): Promise<{ status?: string; details?: Record<string, string> }> {
  const giveUp = Date.now() + waitLimitMs;
  let execution: { status?: string; details?: Record<string, string> } | undefined;
  while (Date.now() < giveUp) {
    execution = await executionOf(iot, jobId, thingName).catch((error: unknown) => {
      // The workflow has not made the job yet.
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    });
    if (execution !== undefined) {
      const ended = execution.status !== 'QUEUED' && execution.status !== 'IN_PROGRESS';
      if (ended || (execution.status === 'IN_PROGRESS' && execution.details?.step === step)) return execution;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${thingName} never reached ${step} in ${jobId}; last seen: ${JSON.stringify(execution)}`);
}

/** How long a wait of these tests may take before it fails with what it saw (well inside a test's timeout). */
const waitLimitMs = 150_000;

/** A reference agent running as a child process. */
export interface AgentProcess {
  readonly device: DeviceIdentity;
  readonly child: ChildProcess;
  /** Everything it printed on stdout so far. */
  stdout(): string;
  /** Resolves the first stdout line matching `pattern`, now or later; rejects if the agent exits first. */
  line(pattern: RegExp): Promise<string>;
  /** Sends `signal` to the agent's process group (nothing when it is gone); resolves once it exited. */
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

/** What an agent is started with besides its identity. */
export interface AgentRun {
  stack: StartedStack;
  caFile: string;
  device: DeviceIdentity;
  /** More flags: `--outcome fail`, `--mqtt 3.1.1`, `--step-seconds 600`, ... */
  flags?: readonly string[];
}

/**
 * Starts `examples/device-agent/agent.ts` for `device` on the stack's mutual
 * TLS port (node with tsx's loader: one process, so SIGKILL hits the agent);
 * resolves once it printed `agent connected`.
 */
export async function startAgent(run: AgentRun): Promise<AgentProcess> {
  const { stack, caFile, device } = run;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      agentScript,
      ...['--endpoint', '127.0.0.1', '--port', String(stack.mqttsPort)],
      ...['--cert', device.certFile, '--key', device.keyFile, '--ca', caFile],
      ...['--thing', device.thingName],
      ...(run.flags ?? []),
    ],
    { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const pgid = child.pid as number;
  const agent: AgentProcess = {
    device,
    child,
    stdout: () => stdout,
    line: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = stdout.split('\n').find((l) => pattern.test(l));
          if (found === undefined) return false;
          child.stdout?.off('data', check);
          resolve(found);
          return true;
        };
        if (check()) return;
        child.stdout?.on('data', check);
        void exited.then(() => {
          if (!check()) {
            reject(new Error(`agent ${device.thingName} exited before ${pattern}:\n${stdout}\n${stderr}`));
          }
        });
      }),
    stop: async (signal) => {
      if (child.exitCode === null && child.signalCode === null && groupAlive(pgid)) {
        process.kill(-pgid, signal);
      }
      await exited;
    },
  };
  // An agent that never connects is stopped, not left behind: the caller never gets to stop it.
  const connected = agent.line(/^agent connected /);
  const tooLate = new Promise<never>((_, reject) =>
    setTimeout(
      () => reject(new Error(`agent ${device.thingName} did not connect:\n${stdout}\n${stderr}`)),
      60_000,
    ).unref(),
  );
  try {
    await Promise.race([connected, tooLate]);
  } catch (error) {
    await agent.stop('SIGKILL');
    throw error;
  }
  return agent;
}

/** The release view `GET /releases/{id}` answers, as far as these tests read it. */
export interface ReleaseView {
  release: { status: string; statusReason?: string };
  waves: {
    status: string;
    jobId?: string;
    reason?: string;
    expectedThings?: number;
    counts?: Record<string, number>;
  }[];
}

/** Reads the release until `done` holds (the workflow runs on its own clock); polls every 200 ms. */
export async function waitForRelease(
  stack: StartedStack,
  releaseId: string,
  done: (view: ReleaseView) => boolean,
): Promise<ReleaseView> {
  const giveUp = Date.now() + waitLimitMs;
  let view: ReleaseView | undefined;
  while (Date.now() < giveUp) {
    const response = await fetch(`${stack.apiUrl}/releases/${releaseId}`);
    if (response.ok) {
      view = (await response.json()) as ReleaseView;
      if (done(view)) return view;
    } else {
      await response.body?.cancel();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`release ${releaseId} never got there; last seen: ${JSON.stringify(view)}`);
}

/** The release has ended. */
export const ended = (view: ReleaseView): boolean =>
  ['SUCCEEDED', 'FAILED', 'CANCELED'].includes(view.release.status);

/** POSTs `body` to the REST API's `path`; throws unless the status is `expected`. */
export async function post(
  stack: StartedStack,
  path: string,
  body: unknown,
  expected: number,
): Promise<void> {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== expected) throw new Error(`POST ${path} answered ${response.status}: ${text}`);
}

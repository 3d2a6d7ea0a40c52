/**
 * `fleetwave events tail` as a person runs it: the `fleetwave` executable in
 * its own process, reading a local stack's recorded EventBridge events and
 * SNS messages while a release runs on it. The stack's clock is manual and
 * moves only through the workflow driver; the test waits on the tail's
 * output, never on time.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliBundle, cliBundlePath } from '../../build/cli-bundle.mjs';
import { ExitCode } from '../../cli/exit-codes.js';
import { fixedProfile } from '../support/fleet.js';
import { useWorkflowStack } from '../support/workflow.js';
import { deadApiUrl, type FakeApi, startFakeApi } from './cli-fake-api.js';
import { createReleaseOk, releaseRequest, runUntilApi } from './releases-support.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
const bin = join(root, pkg.bin.fleetwave as string);
const env = { ...process.env, NO_COLOR: '1', AWS_ENDPOINT_URL: '' };

/** A finished run of the executable. */
function fleetwave(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: root, env }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** `events tail --no-follow` on `stack`: what it has recorded, printed once. */
const printRecorded = (stack: { awsUrl: string }, args: string[]) =>
  fleetwave(['events', 'tail', '--endpoint-url', stack.awsUrl, '--no-follow', ...args]);

/** A running `events tail`: its output so far, a wait for some output, and Ctrl-C. */
interface Tail {
  stdout(): string;
  stderr(): string;
  /** Resolves once the stream's output so far satisfies `done`; rejects if the process ends first. */
  until(done: (text: string) => boolean, stream?: 'stdout' | 'stderr'): Promise<void>;
  /** Sends SIGINT (Ctrl-C) and resolves with the exit code. */
  interrupt(): Promise<number | null>;
}

function startTail(args: string[]): Tail {
  const child: ChildProcess = spawn(process.execPath, [bin, 'events', 'tail', ...args], { cwd: root, env });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    stdout: () => out,
    stderr: () => err,
    until: (done, stream = 'stdout') =>
      new Promise((resolve, reject) => {
        const source = stream === 'stdout' ? child.stdout : child.stderr;
        const check = () => {
          if (!done(stream === 'stdout' ? out : err)) return;
          source?.off('data', check);
          resolve();
        };
        source?.on('data', check);
        exited.then(() => reject(new Error(`events tail ended early: ${err}`)));
        check();
      }),
    interrupt: () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown> & { kind: string });

const idOf = (entry: Record<string, unknown>) => String(entry.kind === 'sns' ? entry.messageId : entry.id);

beforeAll(async () => {
  // `npm install` builds the bundle; a clone installed with --ignore-scripts has none.
  if (!existsSync(cliBundlePath)) await buildCliBundle();
});

describe('fleetwave events tail on a local stack', () => {
  const stackEnv = useWorkflowStack({
    fleet: { size: 10, canaryShare: 0 },
    profiles: fixedProfile({ startSeconds: 5, runSeconds: 30 }),
  });
  let events: EventBridgeClient | undefined;
  afterAll(() => events?.destroy());

  it('follows a release: each of its events and SNS messages appears once, in order; Ctrl-C exits 0', async () => {
    const { stack } = stackEnv();
    const tail = startTail(['--endpoint-url', stack.awsUrl, '--output', 'json']);
    try {
      // Anything recorded from this line on is printed.
      await tail.until((text) => text.includes('for new events and messages'), 'stderr');
      events = new EventBridgeClient({
        endpoint: stack.awsUrl,
        region: stack.region,
        credentials: { accessKeyId: 'AKIDLOCALFLEETWAVE', secretAccessKey: 'local-secret' },
      });
      await events.send(
        new PutEventsCommand({ Entries: [{ Source: 'test.marker', DetailType: 'Marker', Detail: '{}' }] }),
      );
      await tail.until((out) => out.includes('"Marker"'));

      const releaseId = await createReleaseOk(
        stack,
        releaseRequest({ releaseId: 'tail-1', waves: [{ percentage: 50 }, { percentage: 100 }] }),
      );
      await runUntilApi(stack, releaseId, (view) => view.release.status === 'SUCCEEDED', 'SUCCEEDED');
      await stack.eventBridge.idle();

      const recordedEvents = stack.eventBridge.recorded().map((r) => r.event.id);
      const recordedMessages = stack.sns.messages().map((m) => m.messageId);
      const expected = new Set([...recordedEvents, ...recordedMessages]);
      await tail.until((out) => jsonLines(out).filter((e) => expected.has(idOf(e))).length === expected.size);
      expect(await tail.interrupt()).toBe(ExitCode.OK);

      const printed = jsonLines(tail.stdout());
      expect(printed.map(idOf)).toHaveLength(expected.size);
      // Each kind in the order it was recorded, every entry once.
      expect(printed.filter((e) => e.kind === 'event').map(idOf)).toEqual(recordedEvents);
      expect(printed.filter((e) => e.kind === 'sns').map(idOf)).toEqual(recordedMessages);
      const types = printed.filter((e) => e.source === 'fleetwave').map((e) => e['detail-type']);
      expect(types).toEqual(
        expect.arrayContaining(['Release Started', 'Wave Started', 'Wave Succeeded', 'Release Succeeded']),
      );
      expect(recordedMessages.length).toBeGreaterThan(0);
      expect(printed.find((e) => e.kind === 'sns')).toMatchObject({
        topicArn: `arn:aws:sns:${stack.region}:${stack.accountId}:fleetwave-local-NotificationTopic`,
      });
      expect(tail.stderr()).toBe(`Following ${stack.awsUrl} for new events and messages; Ctrl-C stops.\n`);
    } finally {
      await tail.interrupt();
    }
  });

  it('--no-follow prints what is recorded as text lines and exits 0', async () => {
    const { stack } = stackEnv();
    const { code, stdout, stderr } = await printRecorded(stack, []);
    expect(stderr).toBe('');
    expect(code).toBe(ExitCode.OK);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(stack.eventBridge.recorded().length + stack.sns.messages().length);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ {2}event {2}Marker +source=test\.marker$/);
    expect(stdout).toMatch(
      /Z {2}event {2}Release Started +source=fleetwave releaseId=tail-1 status=IN_PROGRESS\n/,
    );
    expect(stdout).toMatch(
      /Z {2}event {2}Wave Succeeded +source=fleetwave releaseId=tail-1 status=\w+ wave=2\n/,
    );
    expect(stdout).toMatch(/Z {2}sns {4}fleetwave-local-NotificationTopic {2}".*tail-1.*" releaseId=tail-1/);
  });

  it('--output json with filters: one parseable object per line, only what the filters ask for', async () => {
    const { stack } = stackEnv();
    const started = await printRecorded(stack, ['--output', 'json', '--detail-type', 'Wave Started']);
    expect(started.code).toBe(ExitCode.OK);
    const lines = jsonLines(started.stdout);
    expect(
      lines.map((e) => [e.kind, e['detail-type'], (e.detail as { waveNumber: number }).waveNumber]),
    ).toEqual([
      ['event', 'Wave Started', 1],
      ['event', 'Wave Started', 2],
    ]);
    expect(lines[0]).toMatchObject({ version: '0', source: 'fleetwave', eventBusName: 'default' });

    const topic = await printRecorded(stack, [
      '--output',
      'json',
      '--topic',
      'fleetwave-local-NotificationTopic',
    ]);
    expect(jsonLines(topic.stdout).map((e) => e.kind)).toEqual(stack.sns.messages().map(() => 'sns'));

    const unknown = await printRecorded(stack, ['--topic', 'nope']);
    expect(unknown.code).toBe(ExitCode.API_REFUSED);
    expect(unknown.stderr).toContain("No topic named 'nope' in the local SNS");
  });
});

describe('fleetwave events tail without a local stack', () => {
  let api: FakeApi | undefined;
  afterAll(() => api?.close());

  it('exits 69 with advice when nothing answers at the endpoint', async () => {
    const url = await deadApiUrl();
    const { code, stdout, stderr } = await fleetwave(['events', 'tail', '--endpoint-url', url]);
    expect(code).toBe(ExitCode.API_UNREACHABLE);
    expect(stdout).toBe('');
    expect(stderr).toContain(`Cannot reach the local stack's AWS endpoint at ${url} (connection refused)`);
  });

  it('exits 4 saying the routes exist only locally when the endpoint has none', async () => {
    api = await startFakeApi();
    api.handle(() => ({ status: 404, body: { message: 'Not Found' } }));
    const { code, stderr } = await fleetwave(['events', 'tail', '--no-follow', '--endpoint-url', api.url]);
    expect(code).toBe(ExitCode.API_REFUSED);
    expect(stderr).toContain('events and messages are recorded only there, not on AWS');
  });
});

/**
 * docs/events.md, "Reading events and messages locally", run as written with
 * bash, curl, `npx fleetwave` and Debian's AWS CLI v2, from the repository
 * root, against a local stack where releases ran. The doc's address
 * (`http://127.0.0.1:4566`) becomes the test stack's, and `AWS_ENDPOINT_URL`
 * points `fleetwave events tail` at it, whose default the doc relies on.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/endpoints.js';
import { expectAwsCli, runAwsCli } from '../support/aws-cli.js';
import { fixedProfile } from '../support/fleet.js';
import { useWorkflowStack } from '../support/workflow.js';
import { pathWithDebianAws, readDoc, shBlockOf } from './doc-blocks.js';
import { groupAlive } from './npm-start-support.js';
import { createReleaseOk, releaseRequest, runUntilApi } from './releases-support.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const doc = readDoc('docs/events.md');
const block = (marker: string) => shBlockOf(doc, marker);

function shell(stack: LocalStack, script: string): { script: string; env: NodeJS.ProcessEnv } {
  return {
    script: `set -eu\n${script.replaceAll('http://127.0.0.1:4566', stack.awsUrl)}`,
    env: { ...process.env, PATH: pathWithDebianAws(), AWS_ENDPOINT_URL: stack.awsUrl, NO_COLOR: '1' },
  };
}

/** Runs a block with bash; any failing command fails it. Resolves stdout. */
function run(stack: LocalStack, script: string): Promise<string> {
  const { script: text, env } = shell(stack, script);
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', text], { cwd: root, env, timeout: 120_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`doc block failed: ${error.message}\n${stderr}\n${stdout}`)) : resolve(stdout),
    );
  });
}

/** Runs a release of the seeded fleet to SUCCEEDED on the manual clock. */
async function releaseToEnd(stack: LocalStack, releaseId: string): Promise<void> {
  await createReleaseOk(
    stack,
    releaseRequest({ releaseId, waves: [{ percentage: 50 }, { percentage: 100 }] }),
  );
  await runUntilApi(stack, releaseId, (view) => view.release.status === 'SUCCEEDED', 'SUCCEEDED');
  await stack.eventBridge.idle();
}

describe('docs/events.md: reading events and messages locally', () => {
  const env = useWorkflowStack({
    fleet: { size: 10, canaryShare: 0 },
    profiles: fixedProfile({ startSeconds: 5, runSeconds: 30 }),
  });
  beforeAll(async () => {
    await releaseToEnd(env().stack, 'doc-1');
  });

  it('the curl examples list the events, the topics and the messages', async () => {
    const out = await run(env().stack, block('/_fleetwave/sns/topics'));
    // curl prints the three bodies one after the other: each is a JSON object.
    const bodies = out.split(/(?<=\})(?=\{)/).map((b) => JSON.parse(b) as Record<string, unknown[]>);
    expect(bodies[0]?.events).toEqual([
      expect.objectContaining({
        'detail-type': 'Release Started',
        source: 'fleetwave',
        eventBusName: 'default',
        detail: expect.objectContaining({ releaseId: 'doc-1' }),
      }),
    ]);
    // Every topic serverless.yml declares is listed (the alarms' topic too); the notifications' one has the release's message.
    expect(bodies[1]?.topics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'fleetwave-local-NotificationTopic', messages: expect.any(Number) }),
        expect.objectContaining({ name: 'fleetwave-local-AlarmTopic' }),
      ]),
    );
    expect(bodies[2]?.messages?.length).toBeGreaterThan(0);
  });

  it('the --no-follow examples print text lines and JSON lines', async () => {
    const out = await run(env().stack, block('--no-follow --source fleetwave'));
    expect(out).toMatch(
      /Z {2}event {2}Release Started +source=fleetwave releaseId=doc-1 status=IN_PROGRESS\n/,
    );
    const json = out
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { kind: string; 'detail-type': string });
    expect(json.map((e) => [e.kind, e['detail-type']])).toEqual([['event', 'Release Succeeded']]);
  });

  it('the following example prints a new release’s events and messages once each, until Ctrl-C', async () => {
    const { stack } = env();
    const { script, env: shellEnv } = shell(
      stack,
      block('--topic fleetwave-local-NotificationTopic --source'),
    );
    const child: ChildProcess = spawn('bash', ['-c', script], {
      cwd: root,
      env: shellEnv,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pgid = child.pid as number;
    let stdout = '';
    let stderr = '';
    // Collected before any wait below reads it (listeners run in the order they were added).
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<string>((resolve) =>
      child.once('close', (code, signal) => resolve(code === null ? String(signal) : String(code))),
    );
    const printed = (text: () => string, stream: NodeJS.ReadableStream | null, wanted: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (wanted.test(text())) resolve();
        };
        stream?.on('data', check);
        void exited.then(() => reject(new Error(`ended before ${wanted}:\n${stdout}\n${stderr}`)));
        check();
      });
    const following = printed(() => stderr, child.stderr, /for new events and messages/);
    try {
      await following;
      await releaseToEnd(stack, 'doc-2');
      await printed(
        () => stdout,
        child.stdout,
        /sns +fleetwave-local-NotificationTopic +".*doc-2.*succeeded.*"/i,
      );
      await printed(
        () => stdout,
        child.stdout,
        /event {2}Release Succeeded +source=fleetwave releaseId=doc-2/,
      );
      process.kill(-pgid, 'SIGINT');
      // fleetwave exits 0 on Ctrl-C (test/e2e/cli-events-tail.test.ts); npx then ends itself by the same signal.
      expect(['0', 'SIGINT']).toContain(await exited);
      // Only what came after the start: doc-1's entries were recorded before it.
      expect(stdout).not.toContain('doc-1');
      const lines = stdout.trimEnd().split('\n');
      expect(new Set(lines).size).toBe(lines.length);
    } finally {
      if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
    }
  });

  it('the AWS CLI lists the rules by their resolved names', async () => {
    expectAwsCli();
    const out = await run(env().stack, block('events list-rules'));
    expect(JSON.parse(out)).toEqual(['fleetwave-local-release-requested']);
  });
});

describe('names the AWS CLI shows for the local stack', () => {
  const env = useWorkflowStack();

  it('are the names a deployment to the stage local would have, with no unresolved variable', async () => {
    expectAwsCli();
    const { stack } = env();
    const rule = await runAwsCli(stack.awsUrl, [
      'events',
      'describe-rule',
      '--name',
      'fleetwave-local-release-requested',
    ]);
    expect(rule.stderr).toBe('');
    expect(JSON.parse(rule.stdout)).toMatchObject({
      Name: 'fleetwave-local-release-requested',
      Arn: `arn:aws:events:us-east-1:${stack.accountId}:rule/fleetwave-local-release-requested`,
      EventPattern: JSON.stringify({ source: ['fleetwave.requests'], 'detail-type': ['Release Requested'] }),
    });
    const listed = await Promise.all([
      runAwsCli(stack.awsUrl, ['events', 'list-rules']),
      runAwsCli(stack.awsUrl, ['sns', 'list-topics']),
      runAwsCli(stack.awsUrl, ['stepfunctions', 'list-state-machines']),
      runAwsCli(stack.awsUrl, ['dynamodb', 'list-tables']),
    ]);
    for (const result of listed) {
      expect(result.ok, result.stderr).toBe(true);
      expect(result.stdout).not.toContain('${');
    }
    expect(listed[1]?.stdout).toContain(`:${stack.accountId}:fleetwave-local-NotificationTopic`);
    expect(listed[2]?.stdout).toContain(':stateMachine:fleetwave-local-release"');
  });
});

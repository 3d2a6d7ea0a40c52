/**
 * The README's REST and webhook examples, docs/api.md's template, release
 * and approval examples, docs/triggers.md's signed webhook and docs/local-iot.md's
 * device round (AWS CLI v2, curl, jq), run as written (bash, curl, openssl, the
 * fleetwave CLI) against `npm start` with its defaults: the demo fleet of
 * 5,000 things, its seed and device behaviour, and the `demo-ota` template.
 * Only the API's address is the test's own, and virtual time runs faster
 * (device fates do not depend on it). Every curl must get a 2xx, and each
 * release the examples start must end SUCCEEDED.
 */
import { DescribeJobExecutionCommand, IoTClient } from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAwsCli } from '../support/aws-cli.js';
import { readDoc, runShellExample, shBlockOf } from './doc-blocks.js';
import { type StartedStack, startNpmStack } from './npm-start-support.js';

const read = readDoc;
const readme = read('README.md');
const apiDoc = read('docs/api.md');
const triggersDoc = read('docs/triggers.md');
const iotDoc = read('docs/local-iot.md');
const SECRET_LINE = 'FLEETWAVE_GENERIC_WEBHOOK_SECRET=s3cret npm start';

/** The ```sh block of `doc` (the README unless told) that contains `marker`. */
function shBlock(marker: string, doc = readme): string {
  return shBlockOf(doc, marker);
}

/**
 * Runs `script` in bash against `stack`: the README's addresses (the API's
 * and the AWS endpoint's) replaced by the stack's, any command failing fails
 * the run, and curl fails on an HTTP error status (it only prints the body otherwise).
 */
function runExample(stack: StartedStack, script: string): Promise<string> {
  return runShellExample(stack, script, {
    FLEETWAVE_API_URL: stack.apiUrl,
    API: stack.apiUrl,
    FLEETWAVE_API: stack.apiUrl,
    FLEETWAVE_GENERIC_WEBHOOK_SECRET: 's3cret',
  });
}

// biome-ignore lint/suspicious/noExplicitAny: the release view as JSON
async function release(stack: StartedStack, releaseId: string): Promise<any> {
  const res = await fetch(`${stack.apiUrl}/releases/${releaseId}`);
  expect(res.status).toBe(200);
  return res.json();
}

/** Reads the release until its status is one of `statuses` (the workflow runs on its own). */
async function reaches(stack: StartedStack, releaseId: string, statuses: readonly string[]) {
  for (;;) {
    const view = await release(stack, releaseId);
    if (statuses.includes(view.release.status)) return view;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const ENDED = ['SUCCEEDED', 'FAILED', 'CANCELED'];

describe('the README examples on the default local stack', () => {
  let stack: StartedStack;

  beforeAll(async () => {
    // The webhook example starts the stack with its secret; the REST examples need none.
    expect(shBlock('webhooks/generic')).toContain(SECRET_LINE);
    stack = await startNpmStack(['--time-scale', '600'], undefined, {
      FLEETWAVE_GENERIC_WEBHOOK_SECRET: 's3cret',
    });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop('SIGINT');
  });

  it('the job template and release examples: created, approved after wave 1, SUCCEEDED, template deleted', async () => {
    await runExample(stack, shBlock('curl -X POST http://127.0.0.1:3000/job-templates'));
    const created = await runExample(stack, shBlock('"releaseId": "eu-west-2-4"'));
    expect(created).toContain('"releaseId":"eu-west-2-4"');
    const watchedAndDeleted = await runExample(stack, shBlock('curl -X DELETE'));
    expect(watchedAndDeleted).toContain('release eu-west-2-4 IN_PROGRESS -> SUCCEEDED');
    const view = await release(stack, 'eu-west-2-4');
    expect(view.release.status, view.release.statusReason).toBe('SUCCEEDED');
    expect(view.waves.map((w: { status: string }) => w.status)).toEqual([
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
    ]);
    const gone = await fetch(`${stack.apiUrl}/job-templates/firmware-2-4`);
    expect(gone.status).toBe(404);
  }, 240_000);

  it('the release plan example: the sizes of both waves, the windows in each CreateJob, a warning that the windows need more than a night, nothing stored', async () => {
    const plan = JSON.parse(await runExample(stack, shBlock('releases?dryRun=true')));
    expect(plan.waves).toHaveLength(2);
    expect(plan.waves[0].thingCount).toBeGreaterThan(0);
    expect(plan.waves[1].thingCount).toBeGreaterThan(plan.waves[0].thingCount);
    expect(plan.waves[1].createJob.schedulingConfig.maintenanceWindows).toEqual([
      { startTime: 'cron(0 2 * * ? *)', durationInMinutes: 120 },
    ]);
    expect(plan.warnings.map((w: { code: string }) => w.code)).toContain('WINDOWS_SPAN_DAYS');
    expect((await fetch(`${stack.apiUrl}/releases/eu-west-nightly`)).status).toBe(404);
  });

  it('the signed generic webhook example: one 100 % wave over the whole demo fleet ends SUCCEEDED', async () => {
    const script = shBlock('webhooks/generic').replace(SECRET_LINE, '');
    const answer = JSON.parse(await runExample(stack, script));
    const releaseId: string = answer.release.releaseId;
    const view = await reaches(stack, releaseId, ENDED);
    expect(view.release.status, view.release.statusReason).toBe('SUCCEEDED');
    // A real share of the fleet failed, and the defaults let it pass.
    expect(view.waves[0].expectedThings).toBe(5000);
    expect(view.waves[0].failedPercent).toBeGreaterThan(0);
    expect(view.waves[0].succeededPercent).toBeGreaterThanOrEqual(90);
  }, 240_000);

  it("docs/triggers.md's signed generic webhook example: 10 % then 100 % of the demo fleet ends SUCCEEDED", async () => {
    const answer = JSON.parse(await runExample(stack, shBlock('"idempotencyKey":"build-1234"', triggersDoc)));
    const view = await reaches(stack, answer.release.releaseId, ENDED);
    expect(view.release.status, view.release.statusReason).toBe('SUCCEEDED');
    expect(view.waves.map((w: { status: string }) => w.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  }, 240_000);
});

describe('the docs/api.md and docs/local-iot.md examples on the default local stack', () => {
  let stack: StartedStack;
  beforeAll(async () => {
    expectAwsCli();
    stack = await startNpmStack(['--time-scale', '600']);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop('SIGINT');
  });

  it('creates the template and the release, approves after the lab things, and the release ends SUCCEEDED', async () => {
    const template = await runExample(stack, shBlock('curl -i -X POST $API/job-templates', apiDoc));
    expect(template).toContain('HTTP/1.1 201');
    // The plan first: the same release, nothing made.
    const plan = JSON.parse(await runExample(stack, shBlock('$API/releases?dryRun=true', apiDoc)));
    expect(plan.releaseId).toBe('fw-2-4-doors');
    expect(plan.waves.map((w: { createJob: { jobId: string } }) => w.createJob.jobId)).toEqual([
      'fw-2-4-doors-w01',
      'fw-2-4-doors-w02',
    ]);
    expect(plan.estimate.durationMinutes.max).toBeGreaterThanOrEqual(plan.estimate.durationMinutes.min);
    expect((await fetch(`${stack.apiUrl}/releases/fw-2-4-doors`)).status).toBe(404);
    const created = await runExample(stack, shBlock('curl -i -X POST $API/releases', apiDoc));
    expect(created).toContain('HTTP/1.1 202');
    const gate = await reaches(stack, 'fw-2-4-doors', ['WAITING_APPROVAL', ...ENDED]);
    expect(gate.release.status, gate.release.statusReason).toBe('WAITING_APPROVAL');
    await runExample(stack, shBlock('/releases/fw-2-4-doors/approve', apiDoc));
    const view = await reaches(stack, 'fw-2-4-doors', ENDED);
    expect(view.release.status, view.release.statusReason).toBe('SUCCEEDED');
    expect(view.waves.map((w: { expectedThings: number }) => w.expectedThings)[0]).toBe(2);

    // Retry the failed devices, roll back the updated ones: two new releases that end SUCCEEDED.
    const answers = (await runExample(stack, shBlock('/releases/fw-2-4-doors/retry', apiDoc)))
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line));
    expect(answers.map((a) => [a.release.retryOf, a.release.rollbackOf])).toEqual([
      ['fw-2-4-doors', undefined],
      [undefined, 'fw-2-4-doors'],
    ]);
    for (const answer of answers) {
      const made = await reaches(stack, answer.release.releaseId, ENDED);
      expect(made.release.status, made.release.statusReason).toBe('SUCCEEDED');
      expect(made.release.targetSet.things).toBeGreaterThan(0);
    }
  }, 240_000);

  it("the failure-reason example: the canary-bad cohort's release fails, its top reason is checksum-mismatch, its failed things carry it, and an unchanged release is a 304", async () => {
    await runExample(stack, shBlock('"releaseId": "fw-2-4-canaries"', apiDoc));
    const ended = await reaches(stack, 'fw-2-4-canaries', ENDED);
    expect(ended.release.status, ended.release.statusReason).toBe('FAILED');
    const [reasons, executions, ...rest] = (
      await runExample(stack, shBlock('failure-reasons?wave=1', apiDoc))
    )
      .split('\n')
      .filter((line) => line.trim() !== '');
    const summary = JSON.parse(reasons ?? '');
    expect(summary.reasons[0]).toMatchObject({ reason: 'checksum-mismatch' });
    expect(summary.reasons[0].statuses.FAILED).toBe(summary.reasons[0].count);
    expect(summary.sampledExecutions).toBeGreaterThan(0);
    // The total as the workflow recorded it at the wave's last check (devices may fail after it).
    expect(summary.failingExecutions).toBeGreaterThan(0);
    const page = JSON.parse(executions ?? '');
    expect(page.items).toHaveLength(2);
    for (const item of page.items) {
      expect(item).toMatchObject({
        status: 'FAILED',
        statusDetails: { reason: 'checksum-mismatch', step: 'verify' },
      });
    }
    expect(rest.join('\n')).toMatch(/^HTTP\/1\.1 304/);
  }, 240_000);

  it('an external thing takes its job over HTTPS, downloads the uploaded file byte for byte, and SUCCEEDS', async () => {
    await runExample(stack, shBlock('iot-jobs-data start-next-pending-job-execution', iotDoc));
    const iot = new IoTClient({
      endpoint: stack.awsUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    try {
      const { execution } = await iot.send(
        new DescribeJobExecutionCommand({ jobId: 'my-device-v2', thingName: 'my-device' }),
      );
      expect(execution?.status).toBe('SUCCEEDED');
      expect(execution?.statusDetails?.detailsMap).toEqual({ step: 'done' });
    } finally {
      iot.destroy();
    }
  }, 240_000);
});

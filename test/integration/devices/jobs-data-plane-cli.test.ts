/**
 * The AWS CLI v2 (`/usr/bin/aws iot-jobs-data ...`, which signs as
 * `iot-jobs-data`) against the jobs data plane, as a device developer would
 * try it. Like the other CLI tests it runs whether or not the CLI is found,
 * so a missing one fails with the command that installs it.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type DataPlaneEndpoint, startDataPlaneEndpoint } from './data-plane-endpoint.js';

const awsCli = '/usr/bin/aws';

let ep: DataPlaneEndpoint | undefined;
afterEach(async () => {
  await ep?.close();
  ep = undefined;
});

function aws(args: readonly string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(
      awsCli,
      ['--endpoint-url', ep!.url, '--region', 'us-east-1', '--output', 'json', 'iot-jobs-data', ...args],
      {
        env: { ...process.env, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_PAGER: '' },
        timeout: 60_000,
      },
      (error, stdout, stderr) =>
        error ? reject(new Error(`aws ${args.join(' ')}: ${stderr}`)) : resolve(JSON.parse(stdout || '{}')),
    );
  });
}

describe('aws iot-jobs-data', () => {
  it('takes, reports and finishes a job of an external thing', async () => {
    expect(
      existsSync(awsCli),
      `${awsCli} is missing: run \`sudo bash .ci/install-system-tools\` once (Debian's awscli, the AWS CLI v2)`,
    ).toBe(true);
    ep = await startDataPlaneEndpoint(1);
    await ep.createJob();
    const pending = (await aws(['get-pending-job-executions', '--thing-name', 'device-0'])) as {
      queuedJobs: { jobId: string }[];
    };
    expect(pending.queuedJobs.map((j) => j.jobId)).toEqual(['job']);
    const started = (await aws([
      'start-next-pending-job-execution',
      '--thing-name',
      'device-0',
      '--status-details',
      'step=download',
    ])) as { execution: { status: string; jobDocument: string } };
    expect(started.execution).toMatchObject({ status: 'IN_PROGRESS', jobDocument: '{"v":1}' });
    const next = (await aws([
      'describe-job-execution',
      '--thing-name',
      'device-0',
      '--job-id',
      '$next',
      '--include-job-document',
    ])) as { execution: { jobId: string; statusDetails: Record<string, string>; jobDocument: string } };
    expect(next.execution).toMatchObject({
      jobId: 'job',
      statusDetails: { step: 'download' },
      jobDocument: '{"v":1}',
    });
    const updated = (await aws([
      'update-job-execution',
      '--thing-name',
      'device-0',
      '--job-id',
      'job',
      '--status',
      'SUCCEEDED',
      '--include-job-execution-state',
    ])) as { executionState: { status: string } };
    expect(updated.executionState.status).toBe('SUCCEEDED');
  });
});

/**
 * The AWS CLI v2 (Debian's `awscli`, `/usr/bin/aws`) against `npm start`'s
 * one AWS endpoint, with the commands the README shows. The tests run
 * whether or not the CLI is found, here as on CI, so a missing one fails
 * them with the command that installs it (`.ci/install-system-tools`, which
 * `.ci/run` runs and the README names) instead of passing by skipping.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsJson as aws, expectAwsCli } from '../support/aws-cli.js';
import { groupAlive, postDemoRelease, type StartedStack, startNpmStack } from './npm-start-support.js';

describe('the AWS CLI against npm start', () => {
  let stack: StartedStack;
  const releaseId = 'aws-cli-1';

  beforeAll(async () => {
    expectAwsCli();
    stack = await startNpmStack(['--fleet-size', '100', '--time-scale', '2000']);
    const wave = { percentage: 100, successThresholdPercent: 90, minExecutedThings: 50 };
    expect(await postDemoRelease(stack.apiUrl, releaseId, [wave])).toBe(202);
    const giveUp = Date.now() + 60_000;
    for (;;) {
      const view = (await (await fetch(`${stack.apiUrl}/releases/${releaseId}`)).json()) as {
        release: { status: string };
      };
      if (view.release.status !== 'PENDING' && view.release.status !== 'IN_PROGRESS') break;
      if (Date.now() > giveUp) throw new Error('the release did not end');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });
  afterAll(async () => {
    if (stack && groupAlive(stack.child.pid as number)) await stack.stop('SIGINT');
  });

  it('iot list-job-templates lists demo-ota', async () => {
    const answer = (await aws(stack.awsUrl, ['iot', 'list-job-templates'])) as {
      jobTemplates: { jobTemplateId: string }[];
    };
    expect(answer.jobTemplates.map((t) => t.jobTemplateId)).toContain('demo-ota');
  });

  it('iot describe-job shows the wave job created from the template', async () => {
    const answer = (await aws(stack.awsUrl, ['iot', 'describe-job', '--job-id', `${releaseId}-w01`])) as {
      job: { jobId: string; jobTemplateArn: string; status: string };
    };
    expect(answer.job.jobId).toBe(`${releaseId}-w01`);
    expect(answer.job.jobTemplateArn).toMatch(/:jobtemplate\/demo-ota$/);
    expect(answer.job.status).toBe('COMPLETED');
  });

  it('stepfunctions describe-execution shows the release execution SUCCEEDED', async () => {
    const machines = (await aws(stack.awsUrl, ['stepfunctions', 'list-state-machines'])) as {
      stateMachines: { stateMachineArn: string }[];
    };
    const machine = machines.stateMachines.find((m) =>
      m.stateMachineArn.includes('release'),
    )?.stateMachineArn;
    expect(machine).toBeDefined();
    const executionArn = `${String(machine).replace(':stateMachine:', ':execution:')}:${releaseId}`;
    const answer = (await aws(stack.awsUrl, [
      'stepfunctions',
      'describe-execution',
      '--execution-arn',
      executionArn,
    ])) as {
      status: string;
      name: string;
    };
    expect(answer.name).toBe(releaseId);
    expect(answer.status).toBe('SUCCEEDED');
  });

  it('dynamodb scan finds the release record', async () => {
    const tables = (await aws(stack.awsUrl, ['dynamodb', 'list-tables'])) as { TableNames: string[] };
    const table = tables.TableNames[0] as string;
    const answer = (await aws(stack.awsUrl, [
      'dynamodb',
      'scan',
      '--table-name',
      table,
      '--filter-expression',
      'sk = :sk',
      '--expression-attribute-values',
      '{":sk": {"S": "RELEASE"}}',
    ])) as { Items: { releaseId: { S: string }; status: { S: string } }[] };
    expect(answer.Items.map((i) => [i.releaseId.S, i.status.S])).toEqual([[releaseId, 'SUCCEEDED']]);
  });
});

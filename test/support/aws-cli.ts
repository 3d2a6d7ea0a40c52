/**
 * The AWS CLI v2 (Debian's `awscli`, `/usr/bin/aws`) against a local
 * endpoint, with dummy credentials and no pager. The tests run whether or
 * not the CLI is found, here as on CI: {@link expectAwsCli} fails them with
 * the command that installs it instead of letting them pass by skipping.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { expect } from 'vitest';

const awsCli = '/usr/bin/aws';

/** What one CLI run printed, and whether it exited 0. */
export interface CliResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Fails the test unless the CLI is installed. */
export function expectAwsCli(): void {
  expect(
    existsSync(awsCli),
    `${awsCli} is missing: run \`sudo bash .ci/install-system-tools\` once (Debian's awscli, the AWS CLI v2)`,
  ).toBe(true);
}

/** Runs `aws --endpoint-url <endpoint> --region us-east-1 --output json <args>`; `env` adds variables. */
export function runAwsCli(
  endpoint: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      awsCli,
      ['--endpoint-url', endpoint, '--region', 'us-east-1', '--output', 'json', ...args],
      {
        env: { ...process.env, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_PAGER: '', ...env },
        timeout: 60_000,
      },
      (error, stdout, stderr) => resolve({ ok: error === null, stdout, stderr }),
    );
  });
}

/** Runs the CLI and parses its JSON output (`{}` when it prints nothing); rejects with stderr when it fails. */
export async function awsJson(endpoint: string, args: readonly string[]): Promise<unknown> {
  const result = await runAwsCli(endpoint, args);
  if (!result.ok) throw new Error(`aws ${args.join(' ')}: ${result.stderr}`);
  return result.stdout ? JSON.parse(result.stdout) : {};
}

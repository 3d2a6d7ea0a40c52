/**
 * SigV4 end to end on the local stack started with
 * `FLEETWAVE_LOCAL_AUTH=sigv4`: the `fleetwave` executable (package.json
 * `bin`, running the bundle) signs with the AWS SDK's credential chain, the
 * gateway checks the signature as API Gateway's `AWS_IAM` authoriser does,
 * and the history records the access key id as the actor. Nothing here
 * reaches AWS: credentials come from the environment, and the chain stops there.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliBundle, cliBundlePath } from '../../build/cli-bundle.mjs';
import { ExitCode } from '../../cli/exit-codes.js';
import { useWorkflowStack } from '../support/workflow.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
const bin = join(root, pkg.bin.fleetwave as string);
const template = 'fw-sigv4';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The key pair the stack checks signatures against: the one in the environment it was started
 * from, read here before the stack starts (it then gives its handlers a dummy pair), else the local pair.
 */
const startedWith =
  process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY
    ? { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY }
    : { accessKeyId: 'AKIDLOCALFLEETWAVE', secretAccessKey: 'local-secret' };
const stackKey = () => startedWith;

describe('fleetwave --sigv4 against a local stack with FLEETWAVE_LOCAL_AUTH=sigv4', () => {
  let before: string | undefined;
  // Registered before the stack's own beforeAll: the stack starts with SigV4 asked for, as `npm start` would.
  beforeAll(async () => {
    before = process.env.FLEETWAVE_LOCAL_AUTH;
    process.env.FLEETWAVE_LOCAL_AUTH = 'sigv4';
    if (!existsSync(cliBundlePath)) await buildCliBundle();
  });
  const env = useWorkflowStack({ fleet: { size: 5, canaryShare: 0 } }, template);
  afterAll(() => {
    if (before === undefined) delete process.env.FLEETWAVE_LOCAL_AUTH;
    else process.env.FLEETWAVE_LOCAL_AUTH = before;
  });

  /** Runs the executable with only the variables a user would set, plus `extra`. */
  function fleetwave(args: string[], extra: Record<string, string> = {}): Promise<Run> {
    const { stack } = env();
    const childEnv: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NO_COLOR: '1',
      FLEETWAVE_API_URL: stack.apiUrl,
      AWS_REGION: stack.region,
      // The chain must find the environment's keys and stop; nothing may look further (files, IMDS).
      AWS_CONFIG_FILE: '/nonexistent/fleetwave-test-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/fleetwave-test-credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
      ...extra,
    };
    return new Promise((resolve) => {
      execFile(process.execPath, [bin, ...args], { cwd: root, env: childEnv }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      });
    });
  }

  const signedWith = (secret?: string) => ({
    AWS_ACCESS_KEY_ID: stackKey().accessKeyId,
    AWS_SECRET_ACCESS_KEY: secret ?? stackKey().secretAccessKey,
  });

  /** `releases create` of one wave over the seeded fleet, signed with the stack's key. */
  const createSigned = (releaseId: string) =>
    fleetwave(
      [
        ...`releases create --template ${template} --targets fleet --waves 100 --sigv4`.split(' '),
        '--release-id',
        releaseId,
      ],
      signedWith(),
    );

  it('a signed releases create is accepted, and the history names the access key id as its actor', async () => {
    const created = await createSigned('signed-1');
    expect(created.stderr).not.toMatch(/error|403/i);
    expect(created.code).toBe(ExitCode.OK);
    expect(created.stdout).toContain('Release signed-1 created (PENDING)');

    const history = await fleetwave(['releases', 'history', 'signed-1', '--json', '--sigv4'], signedWith());
    expect(history.code).toBe(ExitCode.OK);
    const items = (JSON.parse(history.stdout) as { items: { type: string; actor?: string }[] }).items;
    expect(items.find((e) => e.type === 'RELEASE_CREATED')).toMatchObject({ actor: stackKey().accessKeyId });

    const lines = await fleetwave(['releases', 'history', 'signed-1', '--sigv4'], signedWith());
    const [header, created0] = lines.stdout.split('\n');
    expect(header).toMatch(/^AT +ACTOR +EVENT$/);
    expect(created0).toMatch(new RegExp(`^\\S+ +${stackKey().accessKeyId} +release created$`));
  });

  it('a signed cancel is recorded with the caller as actor', async () => {
    await createSigned('signed-2');
    const canceled = await fleetwave(['releases', 'cancel', 'signed-2', '--sigv4'], signedWith());
    expect(canceled.code).toBe(ExitCode.OK);
    const history = await fleetwave(
      ['releases', 'history', 'signed-2', '--json', '--all', '--sigv4'],
      signedWith(),
    );
    const items = (JSON.parse(history.stdout) as { items: { type: string; to?: string; actor?: string }[] })
      .items;
    expect(items.find((e) => e.type === 'RELEASE_STATUS_CHANGED' && e.to === 'CANCELED')).toMatchObject({
      actor: stackKey().accessKeyId,
    });
  });

  it('an unsigned request is refused with API Gateway’s 403', async () => {
    const unsigned = await fleetwave(['releases', 'list']);
    expect(unsigned.code).toBe(ExitCode.API_REFUSED);
    expect(unsigned.stdout).toBe('');
    expect(unsigned.stderr).toContain('Missing Authentication Token');
    const raw = await fetch(`${env().stack.apiUrl}/releases`);
    expect(raw.status).toBe(403);
    expect(await raw.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  it('a signature made with the wrong secret is refused with 403', async () => {
    const wrong = await fleetwave(
      ['releases', 'list', '--sigv4'],
      signedWith('not-the-secret-of-this-stack'),
    );
    expect(wrong.code).toBe(ExitCode.API_REFUSED);
    expect(wrong.stderr).toContain(
      'The request signature we calculated does not match the signature you provided.',
    );
  });

  it('a signature dated 20 minutes ago is refused with 403', async () => {
    const url = new URL('/releases', env().stack.apiUrl);
    const signer = new SignatureV4({
      service: 'execute-api',
      region: env().stack.region,
      credentials: stackKey(),
      sha256: Sha256,
    });
    const headers = (date: Date) =>
      signer
        .sign(
          {
            method: 'GET',
            protocol: 'http:',
            hostname: url.hostname,
            port: Number(url.port),
            path: url.pathname,
            query: {},
            headers: { host: url.host },
          },
          { signingDate: date },
        )
        .then((request) => request.headers);
    const stale = await fetch(url, { headers: await headers(new Date(Date.now() - 20 * 60_000)) });
    expect(stale.status).toBe(403);
    expect(((await stale.json()) as { message: string }).message).toMatch(/^Signature expired: /);
    // The same request signed now passes: the refusal was the date.
    const fresh = await fetch(url, { headers: await headers(new Date()) });
    expect(fresh.status).toBe(200);
  });

  it('without signing credentials, --sigv4 says what to set (a usage error, no request)', async () => {
    const missing = await fleetwave(['releases', 'list', '--sigv4']);
    expect(missing.code).toBe(ExitCode.USAGE);
    expect(missing.stderr).toContain('--sigv4 found no AWS credentials');
  });
});

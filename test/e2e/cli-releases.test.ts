/**
 * `fleetwave releases ...` end to end on the local stack: the CLI in-process
 * over HTTP to the REST API, the release workflow on Step Functions, the
 * simulated fleet taking the IoT jobs. Each wait of `watch` moves the manual
 * virtual clock on by one minute once the workflow's tasks are idle, so no
 * test sleeps.
 */
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../cli/exit-codes.js';
import { fixedProfile } from '../support/fleet.js';
import { useWorkflowStack } from '../support/workflow.js';
import { cliFor } from './releases-support.js';

const template = 'fw-cli';

/** `releases create` of the template over the whole seeded fleet, plus `extra`. */
const createArgs = (...extra: string[]) => [
  'releases',
  'create',
  '--template',
  template,
  '--targets',
  'fleet',
  ...extra,
];

describe('fleetwave releases: a healthy fleet', () => {
  const env = useWorkflowStack(
    { fleet: { size: 20, canaryShare: 0 }, profiles: fixedProfile({ startSeconds: 5, runSeconds: 60 }) },
    template,
  );

  it('create --watch follows a release to SUCCEEDED and exits 0; get, history and list show it', async () => {
    const cli = cliFor(env().stack);
    const watched = await cli(createArgs('--waves', '50,100', '--release-id', 'cli-happy', '--watch'));
    expect(watched.err).not.toContain('error');
    expect(watched.code).toBe(ExitCode.OK);
    expect(watched.out).toContain('Release cli-happy created (PENDING)');
    expect(watched.out).toMatch(/wave 1 \(50%\) SUCCEEDED: (\d+)\/\1 ok, 0 failed, 0 running/);
    expect(watched.out).toMatch(/wave 2 \(100%\) SUCCEEDED: (\d+)\/\1 ok, 0 failed, 0 running/);
    expect(watched.out).toContain('release cli-happy IN_PROGRESS -> SUCCEEDED');
    expect(watched.err).toContain('Release cli-happy SUCCEEDED');

    const got = await cli(['releases', 'get', 'cli-happy', '--json']);
    const view = JSON.parse(got.out) as { release: { status: string }; waves: { status: string }[] };
    expect(view.release.status).toBe('SUCCEEDED');
    expect(view.waves.map((w) => w.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);

    const history = await cli(['releases', 'history', 'cli-happy', '--all']);
    expect(history.code).toBe(ExitCode.OK);
    expect(history.out).toContain('release created');
    expect(history.out).toContain('wave 2 IN_PROGRESS -> SUCCEEDED');

    const listed = await cli(['releases', 'list', '--status', 'succeeded']);
    expect(listed.out).toMatch(/cli-happy\s+SUCCEEDED\s+fw-cli\s+\d\/2\s/);
  });

  it('stops at an approval gate with exit 3; approve lets the release go on to SUCCEEDED', async () => {
    const cli = cliFor(env().stack);
    const gated = await cli(
      createArgs(
        '--waves',
        '25,100',
        '--approval',
        '1',
        '--release-id',
        'cli-gate',
        '--watch',
        '--no-wait-approval',
      ),
    );
    expect(gated.code).toBe(ExitCode.RELEASE_WAITING_APPROVAL);
    expect(gated.err).toContain('fleetwave releases approve cli-gate');

    const approved = await cli(['releases', 'approve', 'cli-gate', '--comment', 'canary looks good']);
    expect(approved.code).toBe(ExitCode.OK);
    expect(approved.out).toContain('Approved release cli-gate: now IN_PROGRESS');
    expect((await cli(['releases', 'watch', 'cli-gate'])).code).toBe(ExitCode.OK);
  });

  it('a canceled release: watch exits 2, a second cancel is refused with exit 4', async () => {
    const cli = cliFor(env().stack);
    const created = await cli(createArgs('--waves', '100', '--idempotency-key', 'cli-cancel-key', '--json'));
    expect(created.code).toBe(ExitCode.OK);
    const releaseId = (JSON.parse(created.out) as { release: { releaseId: string } }).release.releaseId;

    const canceled = await cli(['releases', 'cancel', releaseId, '--force', '--comment', 'wrong build']);
    expect(canceled.code).toBe(ExitCode.OK);
    expect(canceled.out).toContain(`Canceled release ${releaseId}: now CANCELED`);
    expect((await cli(['releases', 'watch', releaseId])).code).toBe(ExitCode.RELEASE_CANCELED);
    const again = await cli(['releases', 'cancel', releaseId]);
    expect(again.code).toBe(ExitCode.API_REFUSED);
    expect(again.err).toContain('409 ConflictError');
  });
});

describe('fleetwave releases: a failing fleet', () => {
  const env = useWorkflowStack(
    {
      fleet: { size: 20, canaryShare: 0 },
      profiles: fixedProfile({ outcomes: { fail: 0.5 }, startSeconds: 5, runSeconds: 60 }),
    },
    template,
  );

  it('watch exits 1 when the release crosses its failure threshold, with the reason', async () => {
    const cli = cliFor(env().stack);
    const watched = await cli(
      createArgs('--waves', '100', '--failure-threshold', '10', '--release-id', 'cli-fail', '--watch'),
    );
    expect(watched.code).toBe(ExitCode.RELEASE_FAILED);
    expect(watched.out).toContain('release cli-fail IN_PROGRESS -> FAILED');
    expect(watched.err).toContain('Release cli-fail FAILED');
  });
});

/**
 * Pause and resume end to end on the local stack: over REST and through
 * the `fleetwave` command, the workflow holding the release on a task token
 * and the simulated fleet taking the jobs; the manual virtual clock moves
 * only through the workflow driver, so nothing sleeps.
 */
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../cli/exit-codes.js';
import { waveJobId } from '../../lib/domain/wave-job.js';
import { fixedProfile } from '../support/fleet.js';
import { jobIds, useWorkflowStack } from '../support/workflow.js';
import { call, cliFor, createReleaseOk, releaseRequest, runUntilApi } from './releases-support.js';

const DAY = 86_400_000;

describe('pause and resume over HTTP and the CLI', () => {
  const env = useWorkflowStack({
    fleet: { size: 20, canaryShare: 0 },
    profiles: fixedProfile({ startSeconds: 5, runSeconds: 120 }),
  });

  it('pauses over REST mid-wave: the wave finishes, the release holds with no next job; the CLI resumes it', async () => {
    const { stack, clients } = env();
    const id = await createReleaseOk(stack, releaseRequest({ releaseId: 'e2e-pause' }));
    await runUntilApi(stack, id, (v) => v.waves[0].status === 'IN_PROGRESS', 'wave 1 running');

    const paused = await call(stack, 'POST', `/releases/${id}/pause`, { body: { comment: 'support calls' } });
    expect(paused.status).toBe(200);
    expect(paused.json.release).toMatchObject({
      status: 'IN_PROGRESS',
      pause: { comment: 'support calls' },
    });
    expect(paused.json.links.resume).toBe(`/releases/${id}/resume`);

    const held = await runUntilApi(stack, id, (v) => v.release.status === 'PAUSED', 'held');
    expect(held.waves.map((w: { status: string }) => w.status)).toEqual(['SUCCEEDED', 'PENDING', 'PENDING']);
    await stack.clock.advance(DAY);
    await stack.workflow.driver.settle();
    expect((await jobIds(clients)).filter((j) => j.startsWith(`${id}-`))).toEqual([waveJobId(id, 1)]);

    // A repeat is harmless: 200 with the release unchanged.
    const again = await call(stack, 'POST', `/releases/${id}/pause`);
    expect(again.status).toBe(200);
    expect(again.json.release).toEqual(held.release);

    const cli = cliFor(stack);
    const listed = await cli(['releases', 'list', '--status', 'paused']);
    expect(listed.out).toMatch(/e2e-pause\s+PAUSED/);
    const resumed = await cli(['releases', 'resume', id, '--comment', 'false alarm']);
    expect(resumed.code).toBe(ExitCode.OK);
    expect(resumed.out).toContain(`Resumed release ${id}: now IN_PROGRESS (Resumed by local: false alarm)`);
    const twice = await cli(['releases', 'resume', id]);
    expect(twice.code).toBe(ExitCode.API_REFUSED);

    const done = await runUntilApi(stack, id, (v) => v.release.status === 'SUCCEEDED', 'succeeded');
    expect(done.waves.map((w: { jobId: string }) => w.jobId)).toEqual([1, 2, 3].map((n) => waveJobId(id, n)));
    const history = await cli(['releases', 'history', id, '--all']);
    expect(history.out).toContain('IN_PROGRESS -> PAUSED');
    expect(history.out).toContain('PAUSED -> IN_PROGRESS');

    const ended = await call(stack, 'POST', `/releases/${id}/pause`);
    expect(ended.status).toBe(409);
    const notPaused = await call(stack, 'POST', `/releases/${id}/resume`);
    expect(notPaused.status).toBe(409);
  });

  it('pauses through the CLI, and says the pause takes hold at the next wave boundary', async () => {
    const { stack } = env();
    const id = await createReleaseOk(stack, releaseRequest({ releaseId: 'e2e-pause-cli' }));
    await runUntilApi(stack, id, (v) => v.waves[0].status === 'IN_PROGRESS', 'wave 1 running');
    const cli = cliFor(stack);
    const paused = await cli(['releases', 'pause', id, '--comment', 'look first']);
    expect(paused.code).toBe(ExitCode.OK);
    expect(paused.out).toContain(`Paused release ${id}: now IN_PROGRESS`);
    expect(paused.out).toContain('it is held at its next wave boundary');
    await runUntilApi(stack, id, (v) => v.release.status === 'PAUSED', 'held');
    const got = await cli(['releases', 'get', id, '--json']);
    expect(JSON.parse(got.out).release).toMatchObject({ status: 'PAUSED', pause: { comment: 'look first' } });
    const canceled = await call(stack, 'POST', `/releases/${id}/cancel`);
    expect(canceled.status).toBe(200);
    expect(canceled.json.release.status).toBe('CANCELED');
  });
});

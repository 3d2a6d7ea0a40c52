/**
 * Who took each action a caller can take (create, cancel, approve, reject)
 * is in the history event it wrote, and in the release view; what the
 * workflow does by itself names `fleetwave`.
 */
import { describe, expect, it } from 'vitest';
import { ZERO_COUNTS } from '../../../lib/domain/wave-progress.js';
import { answerApproval } from '../../../lib/releases/answer-approval.js';
import { cancelRelease } from '../../../lib/releases/cancel-release.js';
import { createRelease } from '../../../lib/releases/create-release.js';
import { historyEventView } from '../../../lib/releases/release-view.js';
import { createReleaseBodySchema } from '../../../lib/releases/schemas.js';
import { fakes, meta, releaseBody, waitingRelease } from './fakes.js';

const arn = 'arn:aws:iam::123456789012:user/release-bot';

describe('the actor of an action', () => {
  it('create: the RELEASE_CREATED event names the caller, and the history view shows it', async () => {
    const deps = fakes();
    const body = createReleaseBodySchema.parse(releaseBody({ releaseId: 'r-actor' }));
    await createRelease(deps, { body, actor: arn });
    const created = deps.store.history.find((e) => e.type === 'RELEASE_CREATED');
    expect(created).toMatchObject({ actor: arn, to: 'PENDING' });
    expect(historyEventView({ ...created, releaseId: 'r-actor', seq: '1' } as never)).toMatchObject({
      actor: arn,
    });
  });

  it('create without a verified caller records anonymous, never the workflow', async () => {
    const deps = fakes();
    await createRelease(deps, { body: createReleaseBodySchema.parse(releaseBody({ releaseId: 'r-anon' })) });
    expect(deps.store.history.find((e) => e.type === 'RELEASE_CREATED')).toMatchObject({
      actor: 'anonymous',
    });
  });

  it('cancel: the move to CANCELED names the caller', async () => {
    const deps = fakes();
    deps.store.seed({ ...releaseBody(), releaseId: 'r-c' }, 'IN_PROGRESS', [
      { status: 'IN_PROGRESS', jobId: 'r-c-w01' },
    ]);
    deps.jobs.jobs.set('r-c-w01', 'IN_PROGRESS');
    deps.executions.executions.set('r-c', { status: 'RUNNING', input: '{"releaseId":"r-c"}' });
    await cancelRelease(deps, { releaseId: 'r-c', force: false }, meta(arn));
    expect(
      deps.store.history.find((e) => e.type === 'RELEASE_STATUS_CHANGED' && e.to === 'CANCELED'),
    ).toMatchObject({ actor: arn, reason: `Canceled by ${arn}` });
  });

  it('approve and reject: the move out of WAITING_APPROVAL names the caller', async () => {
    const approved = waitingRelease('r-a');
    await answerApproval(approved, { releaseId: 'r-a', decision: 'approve' }, meta('AKIDAPPROVER'));
    expect(approved.store.history.at(-1)).toMatchObject({ to: 'IN_PROGRESS', actor: 'AKIDAPPROVER' });

    const rejected = waitingRelease('r-r');
    await answerApproval(rejected, { releaseId: 'r-r', decision: 'reject' }, meta('AKIDREJECTER'));
    expect(
      rejected.store.history.find((e) => e.type === 'RELEASE_STATUS_CHANGED' && e.to === 'CANCELED'),
    ).toMatchObject({ actor: 'AKIDREJECTER' });
  });

  it('a later move by the workflow names no one', async () => {
    const deps = waitingRelease('r-w');
    await answerApproval(deps, { releaseId: 'r-w', decision: 'approve' }, meta('AKIDAPPROVER'));
    await deps.store.transitionRelease('r-w', { to: 'FAILED', reason: 'wave 2 failed' });
    const failed = deps.store.history.find((e) => e.type === 'RELEASE_STATUS_CHANGED' && e.to === 'FAILED');
    expect(failed).toMatchObject({ from: 'IN_PROGRESS', reason: 'wave 2 failed', actor: 'fleetwave' });
  });

  it("the workflow's own wave moves and progress name fleetwave", async () => {
    const deps = fakes();
    deps.store.seed({ ...releaseBody(), releaseId: 'r-wf' }, 'IN_PROGRESS');
    await deps.store.startWave('r-wf', 1, { jobId: 'r-wf-w01' });
    await deps.store.recordWaveProgress('r-wf', 1, {
      counts: { ...ZERO_COUNTS, numberOfSucceededThings: 1 },
      jobStatus: 'IN_PROGRESS',
    });
    const events = deps.store.history.filter((e) => e.releaseId === 'r-wf');
    expect(events.map((e) => [e.type, e.actor])).toEqual([
      ['WAVE_STATUS_CHANGED', 'fleetwave'],
      ['WAVE_PROGRESS', 'fleetwave'],
    ]);
  });

  it('cancel: the waves it ends name the caller too, in the history and the release view', async () => {
    const deps = fakes();
    deps.store.seed({ ...releaseBody(), releaseId: 'r-cw' }, 'IN_PROGRESS', [
      { status: 'IN_PROGRESS', jobId: 'r-cw-w01' },
    ]);
    deps.jobs.jobs.set('r-cw-w01', 'IN_PROGRESS');
    deps.executions.executions.set('r-cw', { status: 'RUNNING', input: '{"releaseId":"r-cw"}' });
    const view = await cancelRelease(deps, { releaseId: 'r-cw', force: false }, meta(arn));
    const waveEvents = deps.store.history.filter((e) => e.type === 'WAVE_STATUS_CHANGED');
    expect(waveEvents.map((e) => [e.waveNumber, e.to, e.actor])).toEqual([
      [2, 'CANCELED', arn],
      [3, 'CANCELED', arn],
      [1, 'CANCELED', arn],
    ]);
    expect(view.release).toMatchObject({ status: 'CANCELED', statusActor: arn });
    expect(view.waves.map((w) => w.statusActor)).toEqual([arn, arn, arn]);
  });

  it('approve: the wave shows who approved it, and when', async () => {
    const deps = waitingRelease('r-ab');
    const view = await answerApproval(deps, { releaseId: 'r-ab', decision: 'approve' }, meta('AKIDAPPROVER'));
    expect(view.waves[0]).toMatchObject({ approvedBy: 'AKIDAPPROVER', approvedAt: expect.any(String) });
  });
});

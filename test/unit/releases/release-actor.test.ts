/**
 * Who took each action a caller can take (create, cancel, approve, reject)
 * is in the history event it wrote; what the workflow does afterwards names
 * no one.
 */
import { describe, expect, it } from 'vitest';
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

  it('create without a verified caller records no actor', async () => {
    const deps = fakes();
    await createRelease(deps, { body: createReleaseBodySchema.parse(releaseBody({ releaseId: 'r-anon' })) });
    expect(deps.store.history.find((e) => e.type === 'RELEASE_CREATED')).not.toHaveProperty(
      'actor',
      expect.anything(),
    );
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
    expect(failed).toMatchObject({ from: 'IN_PROGRESS', reason: 'wave 2 failed' });
    expect(failed?.actor).toBeUndefined();
  });
});

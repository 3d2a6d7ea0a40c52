/**
 * A wave whose definition says `"approval": {"distinctFromCreator": true}`
 * must be approved by someone other than the release's creator: the
 * creator's own approval is a ForbiddenError (403) that changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { ForbiddenError, ValidationError } from '../../../lib/domain/errors.js';
import { parseReleaseRequest } from '../../../lib/domain/release-request.js';
import { errorResult } from '../../../lib/http/error-response.js';
import { answerApproval } from '../../../lib/releases/answer-approval.js';
import { createRelease } from '../../../lib/releases/create-release.js';
import { createReleaseBodySchema } from '../../../lib/releases/schemas.js';
import { fakes, meta, waitingRelease } from './fakes.js';

const creator = 'arn:aws:iam::123456789012:user/alice';
const colleague = 'arn:aws:iam::123456789012:user/bob';

/** A release `creator` created, its wave 1 asking for a second person, waiting at that gate. */
async function gatedRelease(releaseId: string, distinctFromCreator = true) {
  const deps = fakes();
  const body = createReleaseBodySchema.parse({
    releaseId,
    jobTemplateId: 'fw-2-4',
    targets: { thingGroups: ['doors'] },
    waves: [
      { percentage: 10, requireApproval: true, approval: { distinctFromCreator } },
      { percentage: 100 },
    ],
  });
  await createRelease(deps, { body, actor: creator });
  const { store } = deps;
  await store.transitionRelease(releaseId, { to: 'IN_PROGRESS' });
  await store.startWave(releaseId, 1, { jobId: `${releaseId}-w01` });
  await store.finishWave(releaseId, 1, 'SUCCEEDED');
  await store.storeTaskToken(releaseId, 1, { token: 'token-1', purpose: 'APPROVAL' });
  await store.transitionRelease(releaseId, { to: 'WAITING_APPROVAL' });
  deps.executions.executions.set(releaseId, { status: 'RUNNING', input: JSON.stringify({ releaseId }) });
  deps.executions.openTokens.add('token-1');
  return deps;
}

describe('approval.distinctFromCreator', () => {
  it("refuses the creator's own approval with 403, and changes nothing", async () => {
    const deps = await gatedRelease('r-self');
    const before = await deps.store.getRelease('r-self');
    const historyBefore = deps.store.history.length;
    const writesBefore = deps.store.writes;

    const refused = await answerApproval(
      deps,
      { releaseId: 'r-self', decision: 'approve' },
      meta(creator),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ForbiddenError);
    expect(errorResult(refused)).toMatchObject({ statusCode: 403, body: { code: 'ForbiddenError' } });
    expect((refused as Error).message).toContain('someone other than its creator');

    expect(await deps.store.getRelease('r-self')).toEqual(before);
    expect(deps.store.tokenOf('r-self', 1)).toBe('token-1');
    expect(deps.store.history.length).toBe(historyBefore);
    expect(deps.store.writes).toBe(writesBefore);
    expect(deps.executions.successes).toEqual([]);
  });

  it('takes the approval of another person, who the history and the wave then name', async () => {
    const deps = await gatedRelease('r-other');
    const view = await answerApproval(deps, { releaseId: 'r-other', decision: 'approve' }, meta(colleague));
    expect(view.release).toMatchObject({ status: 'IN_PROGRESS', createdBy: creator, statusActor: colleague });
    expect(view.waves[0]).toMatchObject({ approvedBy: colleague });
    expect(deps.store.history.at(-1)).toMatchObject({
      type: 'RELEASE_STATUS_CHANGED',
      from: 'WAITING_APPROVAL',
      to: 'IN_PROGRESS',
      actor: colleague,
    });
    expect(deps.executions.successes).toHaveLength(1);
  });

  it('lets the creator reject their own release: only an approval needs a second person', async () => {
    const deps = await gatedRelease('r-reject');
    const view = await answerApproval(deps, { releaseId: 'r-reject', decision: 'reject' }, meta(creator));
    expect(view.release).toMatchObject({ status: 'CANCELED', statusActor: creator });
  });

  it('refuses every approval when nothing recorded who created the release: distinctness cannot be shown', async () => {
    const deps = waitingRelease('r-unknown', {
      waves: [
        { percentage: 10, requireApproval: true, approval: { distinctFromCreator: true } },
        { percentage: 100 },
      ],
    });
    const refused = answerApproval(deps, { releaseId: 'r-unknown', decision: 'approve' }, meta(colleague));
    await expect(refused).rejects.toThrow(/other than its creator \(unknown\)/);
    expect(deps.store.tokenOf('r-unknown', 1)).toBe('token-1');
  });

  it('without it (or with false), the creator may approve', async () => {
    const deps = await gatedRelease('r-free', false);
    const view = await answerApproval(deps, { releaseId: 'r-free', decision: 'approve' }, meta(creator));
    expect(view.release.status).toBe('IN_PROGRESS');
  });

  it('needs requireApproval: a wave that sets it alone is refused, naming the field', () => {
    const request = (wave: Record<string, unknown>) => ({
      releaseId: 'r-x',
      jobTemplateId: 'fw-2-4',
      waves: [{ targets: { things: ['t1'] }, ...wave }],
    });
    let error: unknown;
    try {
      parseReleaseRequest(request({ approval: { distinctFromCreator: true } }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details).toEqual([
      { path: 'waves.0.approval.distinctFromCreator', message: expect.stringContaining('requireApproval') },
    ]);
    expect(() => parseReleaseRequest(request({ approval: { distinctFromCreator: false } }))).not.toThrow();
    expect(() => parseReleaseRequest(request({ approval: { secondPerson: true } }))).toThrow(ValidationError);
    expect(
      parseReleaseRequest(request({ requireApproval: true, approval: { distinctFromCreator: true } }))
        .waves[0],
    ).toMatchObject({ requireApproval: true, approval: { distinctFromCreator: true } });
  });
});

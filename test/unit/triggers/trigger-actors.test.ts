/**
 * Who creates a release that does not come through `POST /releases`: the
 * sender of a webhook (GitHub, GitLab, the generic signed webhook) and the
 * origin of an EventBridge `Release Requested` event. Each is recorded as
 * the release's creator and the actor of its RELEASE_CREATED event.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/domain/errors.js';
import { createRelease } from '../../../lib/releases/create-release.js';
import { requestMeta } from '../../../lib/releases/deps.js';
import { genericAction } from '../../../lib/triggers/generic.js';
import { githubAction } from '../../../lib/triggers/github.js';
import { gitlabAction } from '../../../lib/triggers/gitlab.js';
import { parseReleaseMap } from '../../../lib/triggers/release-map.js';
import { onReleaseRequested } from '../../../lib/triggers/release-requested.js';
import { fakes } from '../releases/fakes.js';

const map = parseReleaseMap(
  JSON.stringify({
    'acme/firmware': { jobTemplateId: 'fw-2-4', waves: [{ targets: { things: ['door-1'] } }] },
  }),
);
const request = { jobTemplateId: 'fw-2-4', waves: [{ targets: { things: ['door-1'] } }] };

function actorOf(action: ReturnType<typeof githubAction>): string | undefined {
  return action.kind === 'start' ? action.input.actor : undefined;
}

describe('a GitHub webhook', () => {
  const published = {
    action: 'published',
    release: { tag_name: 'v1.0.0' },
    repository: { full_name: 'acme/firmware' },
  };

  it('names its sender: github:<sender.login>, for a published release and a repository_dispatch', () => {
    const release = githubAction(
      { event: 'release', deliveryId: 'd1', payload: { ...published, sender: { login: 'octocat' } } },
      map,
    );
    expect(actorOf(release)).toBe('github:octocat');
    const dispatch = githubAction(
      {
        event: 'repository_dispatch',
        deliveryId: 'd2',
        payload: { client_payload: request, sender: { login: 'release-bot[bot]' } },
      },
      undefined,
    );
    expect(actorOf(dispatch)).toBe('github:release-bot[bot]');
  });

  it('is github when the payload names no sender', () => {
    expect(actorOf(githubAction({ event: 'release', deliveryId: 'd1', payload: published }, map))).toBe(
      'github',
    );
  });
});

describe('a GitLab webhook', () => {
  const project = { path_with_namespace: 'acme/firmware' };

  it('names its user: gitlab:<user_username> for a tag push, gitlab:<user.username> for a release', () => {
    const push = gitlabAction(
      'Tag Push Hook',
      { ref: 'refs/tags/v1.0.0', after: 'abc', project, user_username: 'jdoe' },
      map,
    );
    expect(actorOf(push)).toBe('gitlab:jdoe');
    const release = gitlabAction(
      'Release Hook',
      { action: 'create', tag: 'v1.0.0', project, user: { username: 'asmith' } },
      map,
    );
    expect(actorOf(release)).toBe('gitlab:asmith');
  });

  it('is gitlab when the hook names no user; an ignored hook has no actor to name', () => {
    expect(actorOf(gitlabAction('Release Hook', { action: 'create', tag: 'v1.0.0', project }, map))).toBe(
      'gitlab',
    );
    expect(gitlabAction('Push Hook', { user_username: 'jdoe' }, map)).toMatchObject({ kind: 'ignore' });
  });
});

describe('the generic signed webhook', () => {
  it('names the sender its signed body gives (webhook:<sender>), and keeps it out of the request', () => {
    const action = genericAction(undefined, { ...request, sender: 'jenkins/firmware-pipeline' });
    expect(action).toMatchObject({
      kind: 'start',
      input: { body: request, actor: 'webhook:jenkins/firmware-pipeline' },
    });
    expect(action.kind === 'start' && 'sender' in action.input.body).toBe(false);
  });

  it('is webhook when the body names no sender, and keeps the Idempotency-Key header', () => {
    expect(genericAction('key-1', request)).toMatchObject({
      kind: 'start',
      input: { body: request, idempotencyKey: 'key-1', actor: 'webhook' },
    });
  });

  it('refuses a sender that is not a short name, as a ValidationError on sender', () => {
    for (const sender of ['', 'a b', 42, 'x'.repeat(129)]) {
      let error: unknown;
      try {
        genericAction(undefined, { ...request, sender });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).details).toEqual([{ path: 'sender', message: expect.any(String) }]);
    }
  });
});

describe('an EventBridge Release Requested event', () => {
  it('creates the release as events:<source>@<account>', async () => {
    const deps = fakes();
    const event = {
      id: 'ev-1',
      source: 'acme.ci',
      account: '123456789012',
      'detail-type': 'Release Requested',
      time: '2026-03-01T10:00:00Z',
      detail: { ...request, releaseId: 'r-events' },
    };
    const rejections = { publish: async () => undefined };
    const { release } = await onReleaseRequested({ api: deps, rejections, now: () => 0 }, event);
    expect(release.release.createdBy).toBe('events:acme.ci@123456789012');
    expect(deps.store.history.find((e) => e.type === 'RELEASE_CREATED')).toMatchObject({
      actor: 'events:acme.ci@123456789012',
    });
  });
});

describe('a REST caller', () => {
  it('is the IAM principal API Gateway verified (requestContext.authorizer.iam.userArn)', async () => {
    const arn = 'arn:aws:sts::123456789012:assumed-role/release-engineer/alice';
    const meta = requestMeta({
      requestContext: { timeEpoch: 1, authorizer: { iam: { userArn: arn } } },
    } as never);
    expect(meta.actor).toBe(arn);
    const deps = fakes();
    const { release } = await createRelease(deps, {
      body: { ...request, releaseId: 'r-rest' } as never,
      actor: meta.actor,
    });
    expect(release.release).toMatchObject({ createdBy: arn, statusActor: arn });
  });
});

/**
 * CI webhook payloads mapped to fleetwave actions: which events start a
 * release, with which request and idempotency key, and why the others start
 * nothing. Pure functions, no network.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/domain/errors.js';
import { githubAction } from '../../../lib/triggers/github.js';
import { gitlabAction } from '../../../lib/triggers/gitlab.js';
import { releaseInputOf } from '../../../lib/triggers/release-input.js';
import { parseReleaseMap } from '../../../lib/triggers/release-map.js';

const map = parseReleaseMap(
  JSON.stringify({
    'acme/firmware': {
      jobTemplateId: 'fw-2-0',
      targets: { thingGroups: ['fleet'] },
      waves: [{ percentage: 10 }, { percentage: 100 }],
      tagPattern: '^v\\d+\\.\\d+\\.\\d+$',
    },
    'acme/group/config': { jobTemplateId: 'cfg', waves: [{ targets: { things: ['t1'] } }] },
  }),
);

const published = (repo: string, tag: string, action = 'published') => ({
  action,
  release: { tag_name: tag },
  repository: { full_name: repo },
});

describe('GitHub events', () => {
  it('answers ping', () => {
    expect(githubAction({ event: 'ping', deliveryId: 'd', payload: { zen: 'x' } }, map)).toEqual({
      kind: 'ping',
    });
  });

  it('starts the mapped plan for a published release, keyed by repository and tag', () => {
    const action = githubAction(
      { event: 'release', deliveryId: 'd1', payload: published('acme/firmware', 'v1.2.3') },
      map,
    );
    expect(action).toMatchObject({
      kind: 'start',
      input: {
        idempotencyKey: 'github:acme/firmware@v1.2.3',
        body: {
          jobTemplateId: 'fw-2-0',
          description: 'acme/firmware@v1.2.3 (github)',
          targets: { thingGroups: ['fleet'] },
        },
      },
    });
    if (action.kind === 'start') expect(action.input.body).not.toHaveProperty('tagPattern');
  });

  it('gives a redelivery (another delivery id) the same request and key', () => {
    const a = githubAction(
      { event: 'release', deliveryId: 'd1', payload: published('acme/firmware', 'v1.2.3') },
      map,
    );
    const b = githubAction(
      { event: 'release', deliveryId: 'd2', payload: published('acme/firmware', 'v1.2.3') },
      map,
    );
    expect(b).toEqual(a);
  });

  it.each([
    ['another action', published('acme/firmware', 'v1.2.3', 'created'), /only published/],
    [
      'an unmapped repository',
      published('acme/other', 'v1.0.0'),
      /No release is configured for repository acme\/other/,
    ],
    [
      'a tag outside the tagPattern',
      published('acme/firmware', 'nightly-5'),
      /does not match the tagPattern/,
    ],
    [
      'a payload without a tag',
      { action: 'published', repository: { full_name: 'acme/firmware' } },
      /no repository or tag/,
    ],
  ])('ignores %s with a reason', (_, payload, reason) => {
    const action = githubAction({ event: 'release', deliveryId: 'd', payload }, map);
    expect(action.kind).toBe('ignore');
    if (action.kind === 'ignore') expect(action.reason).toMatch(reason);
  });

  it('ignores events it does not handle', () => {
    expect(githubAction({ event: 'push', deliveryId: 'd', payload: {} }, map)).toMatchObject({
      kind: 'ignore',
      reason: 'GitHub event push starts nothing.',
    });
  });

  it('starts a repository_dispatch client payload keyed by its delivery id', () => {
    const clientPayload = { jobTemplateId: 'fw-2-0', waves: [{ targets: { things: ['t1'] } }] };
    const action = githubAction(
      {
        event: 'repository_dispatch',
        deliveryId: 'guid-1',
        payload: { action: 'release', client_payload: clientPayload },
      },
      undefined,
    );
    expect(action).toMatchObject({
      kind: 'start',
      input: { idempotencyKey: 'github-dispatch:guid-1', body: clientPayload },
    });
  });

  it('prefers the client payload idempotencyKey, and keeps it out of the request', () => {
    const clientPayload = {
      jobTemplateId: 'fw-2-0',
      waves: [{ targets: { things: ['t1'] } }],
      idempotencyKey: 'ci-run-42',
    };
    const action = githubAction(
      { event: 'repository_dispatch', deliveryId: 'g', payload: { client_payload: clientPayload } },
      undefined,
    );
    expect(action.kind === 'start' && action.input.idempotencyKey).toBe('ci-run-42');
    expect(action.kind === 'start' && action.input.body).not.toHaveProperty('idempotencyKey');
  });

  it('refuses a client payload that is not a valid release request, naming the fields', () => {
    const payload = { client_payload: { jobTemplateId: 'fw', waves: [{ percentage: 50 }], color: 'red' } };
    let error: unknown;
    try {
      githubAction({ event: 'repository_dispatch', deliveryId: 'g', payload }, undefined);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const paths = (error as ValidationError).details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['waves.0.percentage', 'targets']));
  });
});

describe('GitLab events', () => {
  const project = { path_with_namespace: 'acme/group/config' };

  it('starts the mapped plan for a new tag', () => {
    const action = gitlabAction('Tag Push Hook', { ref: 'refs/tags/r7', after: 'abc123', project }, map);
    expect(action).toMatchObject({
      kind: 'start',
      input: { idempotencyKey: 'gitlab:acme/group/config@r7', body: { jobTemplateId: 'cfg' } },
    });
  });

  it('gives a release of the same tag the same key as its tag push: one release', () => {
    const push = gitlabAction('Tag Push Hook', { ref: 'refs/tags/r7', after: 'abc', project }, map);
    const release = gitlabAction('Release Hook', { action: 'create', tag: 'r7', project }, map);
    expect(release).toEqual(push);
  });

  it('ignores a deleted tag', () => {
    const action = gitlabAction(
      'Tag Push Hook',
      { ref: 'refs/tags/r7', after: '0000000000000000000000000000000000000000', project },
      map,
    );
    expect(action).toMatchObject({ kind: 'ignore', reason: 'Tag r7 was deleted.' });
  });

  it('ignores release updates and other hooks', () => {
    expect(gitlabAction('Release Hook', { action: 'update', tag: 'r7', project }, map).kind).toBe('ignore');
    expect(gitlabAction('Push Hook', { ref: 'refs/heads/main', project }, map).kind).toBe('ignore');
  });
});

describe('release requests inside other payloads', () => {
  it('names an unknown field by its own path, as POST /releases does', () => {
    let error: unknown;
    try {
      releaseInputOf({ jobTemplateId: 'fw', waves: [{ targets: { things: ['t1'] }, colour: 'red' }] });
    } catch (e) {
      error = e;
    }
    expect((error as ValidationError).details).toEqual([
      { path: 'waves.0.colour', message: 'is not a known field' },
    ]);
  });
});

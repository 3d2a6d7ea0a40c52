/**
 * GitLab webhooks (`X-Gitlab-Event`) mapped to fleetwave actions:
 * - `Tag Push Hook` of a new tag → the project's release plan for that tag
 *   (a deleted tag, `after` all zeros, starts nothing);
 * - `Release Hook` with action `create` → the same, for the release's tag.
 * Both are keyed by project and tag, so a project sending both hooks for one
 * tag, or a redelivery, starts one release. A release started is created
 * by the hook's user, `gitlab:<username>` (`gitlab` when it names none).
 */
import { gitlabActor } from '../domain/actors.js';
import { type CiAction, sentBy, startForTag, stringAt } from './ci-action.js';
import type { ReleaseMap } from './release-map.js';

const TAG_REF = 'refs/tags/';
const DELETED = /^0+$/;

export function gitlabAction(
  event: string | undefined,
  payload: unknown,
  map: ReleaseMap | undefined,
): CiAction {
  // A tag push names its user as `user_username`; other hooks carry a `user` object.
  const username = stringAt(payload, 'user_username') ?? stringAt(payload, 'user', 'username');
  return sentBy(decideGitlab(event, payload, map), gitlabActor(username));
}

function decideGitlab(event: string | undefined, payload: unknown, map: ReleaseMap | undefined): CiAction {
  const repository = stringAt(payload, 'project', 'path_with_namespace');
  if (event === 'Tag Push Hook') {
    const ref = stringAt(payload, 'ref');
    if (!ref?.startsWith(TAG_REF) || !repository)
      return { kind: 'ignore', reason: 'The tag push names no tag or project.' };
    if (DELETED.test(stringAt(payload, 'after') ?? ''))
      return { kind: 'ignore', reason: `Tag ${ref.slice(TAG_REF.length)} was deleted.` };
    return startForTag(map, { provider: 'gitlab', repository, tag: ref.slice(TAG_REF.length) });
  }
  if (event === 'Release Hook') {
    const action = stringAt(payload, 'action');
    if (action !== 'create')
      return {
        kind: 'ignore',
        reason: `Release action ${action ?? '(none)'} starts nothing; only create does.`,
      };
    const tag = stringAt(payload, 'tag');
    if (!tag || !repository) return { kind: 'ignore', reason: 'The release event names no tag or project.' };
    return startForTag(map, { provider: 'gitlab', repository, tag });
  }
  return { kind: 'ignore', reason: `GitLab event ${event ?? '(none)'} starts nothing.` };
}

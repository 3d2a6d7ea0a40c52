/**
 * GitHub webhooks (`X-GitHub-Event`) mapped to fleetwave actions:
 * - `ping` (sent when the hook is created) → answered 200;
 * - `release` with action `published` → the repository's release plan, for
 *   the release's tag (keyed by repository and tag: redelivery is idempotent);
 * - `repository_dispatch` → its `client_payload` is a release request (with
 *   an optional `idempotencyKey`; else the delivery id keys it, which GitHub
 *   keeps on a redelivery);
 * - anything else → ignored.
 * A release started is created by the event's sender, `github:<sender.login>`.
 */
import { githubActor } from '../domain/actors.js';
import { type CiAction, isObject, sentBy, startForTag, stringAt } from './ci-action.js';
import { releaseInputOf } from './release-input.js';
import type { ReleaseMap } from './release-map.js';

/** What the GitHub webhook needs from the request, besides its verified body. */
export interface GitHubDelivery {
  /** `X-GitHub-Event`. */
  event: string | undefined;
  /** `X-GitHub-Delivery`: the same GUID on every redelivery. */
  deliveryId: string | undefined;
  payload: unknown;
}

/**
 * The action, its release created by the event's sender (`github:<sender.login>`).
 * @throws ValidationError when a `repository_dispatch` payload is not a valid release request
 */
export function githubAction(delivery: GitHubDelivery, map: ReleaseMap | undefined): CiAction {
  return sentBy(decideGithub(delivery, map), githubActor(stringAt(delivery.payload, 'sender', 'login')));
}

function decideGithub(delivery: GitHubDelivery, map: ReleaseMap | undefined): CiAction {
  const { event, payload } = delivery;
  if (event === 'ping') return { kind: 'ping' };
  if (event === 'release') {
    const action = stringAt(payload, 'action');
    if (action !== 'published')
      return {
        kind: 'ignore',
        reason: `Release action ${action ?? '(none)'} starts nothing; only published does.`,
      };
    const repository = stringAt(payload, 'repository', 'full_name');
    const tag = stringAt(payload, 'release', 'tag_name');
    if (!repository || !tag)
      return { kind: 'ignore', reason: 'The release event names no repository or tag.' };
    return startForTag(map, { provider: 'github', repository, tag });
  }
  if (event === 'repository_dispatch') {
    const clientPayload = isObject(payload) ? payload.client_payload : undefined;
    const key = delivery.deliveryId ? `github-dispatch:${delivery.deliveryId}` : undefined;
    return { kind: 'start', input: releaseInputOf(clientPayload, key) };
  }
  return { kind: 'ignore', reason: `GitHub event ${event ?? '(none)'} starts nothing.` };
}

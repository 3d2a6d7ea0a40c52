/**
 * POST /webhooks/github: a GitHub webhook signed with `X-Hub-Signature-256`.
 * `ping` → 200; `release` published → the repository's release plan
 * (`FLEETWAVE_GITHUB_RELEASE_MAP`); `repository_dispatch` → its
 * `client_payload` as a release request; anything else → 202 ignored.
 */
import { githubAction } from '../../lib/triggers/github.js';
import { releaseMap } from '../../lib/triggers/release-maps.js';
import { webhookRoute } from '../../lib/triggers/webhook-route.js';

export const handler = webhookRoute('github', (headers, payload) =>
  githubAction(
    { event: headers['x-github-event'], deliveryId: headers['x-github-delivery'], payload },
    releaseMap('github'),
  ),
);

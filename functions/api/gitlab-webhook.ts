/**
 * POST /webhooks/gitlab: a GitLab webhook carrying `X-Gitlab-Token`. A new
 * tag (Tag Push Hook) or a created release (Release Hook) starts the
 * project's release plan (`FLEETWAVE_GITLAB_RELEASE_MAP`); anything else →
 * 202 ignored.
 */
import { gitlabAction } from '../../lib/triggers/gitlab.js';
import { releaseMap } from '../../lib/triggers/release-maps.js';
import { webhookRoute } from '../../lib/triggers/webhook-route.js';

export const handler = webhookRoute('gitlab', (headers, payload) =>
  gitlabAction(headers['x-gitlab-event'], payload, releaseMap('gitlab')),
);

/**
 * Who did what: the `actor` every history item names, and the release's
 * creator. An actor is a plain string whose form says where it came from,
 * so a reader of the history can tell a person from a pipeline from the
 * workflow itself (docs/data-model.md, "Actors"):
 *
 * - an IAM principal ARN: a caller of the REST API on AWS;
 * - `github:<login>`, `gitlab:<username>`, `webhook:<sender>`: a webhook's sender;
 * - `events:<source>@<account>`: an EventBridge `Release Requested` event;
 * - `fleetwave`: the workflow, acting by itself;
 * - `anonymous`: a caller no authorizer identified (never on AWS, where the
 *   REST routes all carry the `aws_iam` authorizer).
 */

/** The actor of everything the workflow does by itself (and of the notifications it sends). */
export const WORKFLOW_ACTOR = 'fleetwave';

/** The actor of a caller whose identity nothing verified. */
const ANONYMOUS_ACTOR = 'anonymous';

/** Longest actor kept: an IAM ARN is at most 2,048 characters; a sender's name is cut to this. */
const MAX_ACTOR_LENGTH = 2048;

function prefixed(prefix: string, name: string | undefined): string {
  return name ? `${prefix}:${name}`.slice(0, MAX_ACTOR_LENGTH) : prefix;
}

/** The actor of a caller of the API: its verified identity, else {@link ANONYMOUS_ACTOR}. */
export function callerActor(verified: string | undefined): string {
  return verified ? verified.slice(0, MAX_ACTOR_LENGTH) : ANONYMOUS_ACTOR;
}

/** The sender of a GitHub webhook (`sender.login`): `github:<login>`, or `github` when it names none. */
export function githubActor(login: string | undefined): string {
  return prefixed('github', login);
}

/** The user of a GitLab webhook (`user_username`, `user.username`): `gitlab:<username>`, or `gitlab`. */
export function gitlabActor(username: string | undefined): string {
  return prefixed('gitlab', username);
}

/**
 * The sender of a signed generic webhook: `webhook:<sender>` when its
 * signed body names one (`sender`), else `webhook`. Whoever holds the
 * generic secret may name any sender; the name is as trustworthy as the
 * signature, and no more.
 */
export function genericWebhookActor(sender: string | undefined): string {
  return prefixed('webhook', sender);
}

/** An EventBridge event's origin: `events:<source>@<account>` (or `events:<source>` when it has no account). */
export function eventBridgeActor(source: string, account: string | undefined): string {
  return `events:${source}${account ? `@${account}` : ''}`.slice(0, MAX_ACTOR_LENGTH);
}

/** The actor a history item names: the one stored with the change, else the workflow's. */
export function actorOrWorkflow(stored: string | undefined): string {
  return stored ?? WORKFLOW_ACTOR;
}

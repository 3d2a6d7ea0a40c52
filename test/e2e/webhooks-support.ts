/**
 * Signing and sending CI webhooks to the local stack as GitHub, GitLab and
 * other systems do: the raw body exactly as signed, with the provider's headers.
 */
import { createHmac } from 'node:crypto';
import { signFleetwavePayload } from '../../lib/domain/webhook-signatures.js';
import type { LocalStack } from '../../local/endpoints.js';

export const SECRETS = { github: 'gh-webhook-secret', gitlab: 'gl-webhook-token', generic: 'generic-secret' };

/** The webhook secrets, the release maps and the outgoing secret, as the environment gives them locally. */
export function setWebhookEnvironment(): void {
  process.env.FLEETWAVE_GITHUB_WEBHOOK_SECRET = SECRETS.github;
  process.env.FLEETWAVE_GITLAB_WEBHOOK_SECRET = SECRETS.gitlab;
  process.env.FLEETWAVE_GENERIC_WEBHOOK_SECRET = SECRETS.generic;
  process.env.FLEETWAVE_OUTGOING_WEBHOOK_SECRET = 'outgoing-secret';
  const plan = { jobTemplateId: 'fw-2-0', targets: { thingGroups: ['fleet'] }, waves: [{ percentage: 100 }] };
  process.env.FLEETWAVE_GITHUB_RELEASE_MAP = JSON.stringify({ 'acme/firmware': plan });
  process.env.FLEETWAVE_GITLAB_RELEASE_MAP = JSON.stringify({ 'acme/devices/firmware': plan });
}

export interface WebhookAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  json: any;
}

/** POSTs `body` (sent byte for byte) to `path` with `headers`. */
export async function postWebhook(
  stack: LocalStack,
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<WebhookAnswer> {
  const res = await fetch(stack.apiUrl + path, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? undefined : JSON.parse(text) };
}

export function githubSignature(body: string, secret = SECRETS.github): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** GitHub's headers for `event`, signed over `body`. */
export function githubHeaders(event: string, body: string, delivery = 'delivery-1'): Record<string, string> {
  return {
    'x-github-event': event,
    'x-github-delivery': delivery,
    'x-hub-signature-256': githubSignature(body),
  };
}

/** The generic signature of `body` now (the wall clock, as a sender signs), or `ageSeconds` earlier. */
export function genericHeaders(body: string, ageSeconds = 0): Record<string, string> {
  const t = Math.floor(Date.now() / 1000) - ageSeconds;
  return { 'x-fleetwave-signature': signFleetwavePayload(body, SECRETS.generic, t) };
}

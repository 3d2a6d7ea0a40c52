/**
 * The shape of every incoming CI webhook route: refuse a body over 1 MB
 * (413) before anything else, verify the signature over the RAW body (401,
 * the same answer whatever was wrong), only then parse the JSON and decide,
 * and start a release through the same `createRelease` use case, with the
 * same validation and idempotency, as `POST /releases`.
 *
 * Answers: 202 with the release when this call created it, 200 with the
 * release for a repeat (a redelivery), 200 for a ping, 202 `{ignored, reason}`
 * for an event that starts nothing.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { webhookSecrets } from '../adapters/secrets.js';
import { ValidationError } from '../domain/errors.js';
import { verifyWebhookRequest, type WebhookScheme } from '../domain/webhook-signatures.js';
import { accepted, type HttpResult, type HttpRouteHandler, httpHandler, ok } from '../http/index.js';
import { createRelease } from '../releases/create-release.js';
import { releaseApiDeps, requestMeta } from '../releases/deps.js';
import type { CiAction } from './ci-action.js';

/** Largest webhook body: GitHub sends at most 25 MB, but a release event or request is far smaller. */
const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

/** Headers as API Gateway v2 passes them (lower-case names). */
type WebhookHeaders = Readonly<Record<string, string | undefined>>;

/** Decides what a verified webhook asks for. @throws ValidationError for a malformed payload */
export type WebhookDecision = (headers: WebhookHeaders, payload: unknown) => CiAction;

function rawBody(event: APIGatewayProxyEventV2): Buffer {
  if (event.body === undefined || event.body === null) return Buffer.alloc(0);
  return Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ValidationError('Invalid request: body.', [{ path: '', message: 'must be valid JSON' }]);
  }
}

/** Runs a decided action: starts the release, or answers the ping or the reason for ignoring. */
async function runCiAction(action: CiAction, event: APIGatewayProxyEventV2): Promise<HttpResult> {
  if (action.kind === 'ping') return ok({ ok: true });
  if (action.kind === 'ignore') return { statusCode: 202, body: { ignored: true, reason: action.reason } };
  const meta = requestMeta(event);
  const { release, created } = await createRelease(releaseApiDeps(meta), {
    ...action.input,
    now: meta.now(),
  });
  return created
    ? accepted(release, release.links.self)
    : { ...ok(release), headers: { location: release.links.self } };
}

/** The Lambda handler of one webhook route, verifying `scheme` with the secret of the same name. */
export function webhookRoute(scheme: WebhookScheme, decide: WebhookDecision): HttpRouteHandler {
  return httpHandler({ maxBodyBytes: MAX_WEBHOOK_BODY_BYTES }, async (_input, { event }) => {
    const raw = rawBody(event);
    const headers: WebhookHeaders = event.headers ?? {};
    // The wall clock judges the generic signature's age, even on the local stack: the sender
    // signs with its own real clock, not the stack's virtual one.
    const nowSeconds = Math.floor(Date.now() / 1000);
    verifyWebhookRequest(scheme, { headers, body: raw }, await webhookSecrets().get(scheme), nowSeconds);
    return runCiAction(decide(headers, parseJson(raw)), event);
  });
}

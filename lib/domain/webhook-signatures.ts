/**
 * Verifying who sent a webhook, and signing the webhooks fleetwave sends.
 *
 * Three schemes, each checked over the RAW request body (re-serialised JSON
 * would not hash the same):
 * - GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>`.
 * - GitLab: `X-Gitlab-Token: <secret>` (a shared token, no signature).
 * - fleetwave's own: `X-Fleetwave-Signature: t=<unix seconds>,v1=<hex>`
 *   where the hex is HMAC-SHA256(secret, `<t>.<body>`). The timestamp is
 *   signed too, so a captured request cannot be replayed once it is older
 *   than the tolerance (5 minutes either way, clock skew included). Several
 *   `v1=` may be sent: during a secret rotation the sender signs with the old
 *   and the new secret, and the receiver accepts either.
 *
 * Every comparison is constant-time over fixed-length digests, so neither
 * the length nor the content of a secret leaks through timing. Every refusal
 * is the same `UnauthorizedError('Invalid signature')`: a caller learns
 * nothing about which part was wrong.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { UnauthorizedError } from './errors.js';

/** The signing schemes; each is verified with the webhook secret of the same name. */
const webhookSchemes = ['github', 'gitlab', 'generic'] as const;
export type WebhookScheme = (typeof webhookSchemes)[number];

/** The header of each scheme, lower-cased as Node and API Gateway v2 present them. */
const webhookSignatureHeaders = {
  github: 'x-hub-signature-256',
  gitlab: 'x-gitlab-token',
  generic: 'x-fleetwave-signature',
} as const satisfies Record<WebhookScheme, string>;

/** How far a fleetwave signature's timestamp may be from now, either way. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** A request body exactly as received: the string API Gateway gives, or decoded bytes. */
export type RawBody = string | Uint8Array;

/** One secret, or several during a rotation (any of them is accepted). */
export type Secrets = string | readonly string[];

const invalid = (): UnauthorizedError => new UnauthorizedError('Invalid signature');

function secretList(secrets: Secrets): string[] {
  const list = (typeof secrets === 'string' ? [secrets] : [...secrets]).filter((s) => s.length > 0);
  // No secret configured means nothing can be verified: refuse, never accept.
  if (list.length === 0) throw invalid();
  return list;
}

function hmacHex(secret: string, ...parts: RawBody[]): string {
  const hmac = createHmac('sha256', secret);
  for (const part of parts) hmac.update(part);
  return hmac.digest('hex');
}

/**
 * Constant-time string equality. Both sides are hashed first so they always
 * have the same length: `timingSafeEqual` throws on unequal lengths, and an
 * early return on length would itself leak the length.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** True when any candidate equals any expected value; always compares every pair. */
function anyEqual(candidates: readonly string[], expected: readonly string[]): boolean {
  let found = false;
  for (const candidate of candidates) {
    for (const value of expected) {
      // No short-circuit: the work done does not depend on which pair matched.
      found = constantTimeEqual(candidate, value) || found;
    }
  }
  return found;
}

/** Throws unless `header` is GitHub's `sha256=<hex>` signature of `body` under one of `secrets`. */
export function verifyGitHubSignature(body: RawBody, header: string | undefined, secrets: Secrets): void {
  const keys = secretList(secrets);
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header?.trim() ?? '');
  if (!match) throw invalid();
  const received = match[1]!.toLowerCase();
  if (
    !anyEqual(
      [received],
      keys.map((key) => hmacHex(key, body)),
    )
  )
    throw invalid();
}

/** Throws unless `header` is GitLab's `X-Gitlab-Token` equal to one of `secrets`. */
export function verifyGitLabToken(header: string | undefined, secrets: Secrets): void {
  const keys = secretList(secrets);
  if (header === undefined || header.length === 0) throw invalid();
  if (!anyEqual([header], keys)) throw invalid();
}

/** A parsed `X-Fleetwave-Signature` header. */
export interface FleetwaveSignatureHeader {
  timestamp: number;
  signatures: string[];
}

/** Parses `t=<unix>,v1=<hex>[,v1=<hex>...]`; unknown schemes (`v0=`, `v2=`) are ignored. */
export function parseFleetwaveSignature(header: string | undefined): FleetwaveSignatureHeader | undefined {
  if (!header) return undefined;
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value, ...rest] = part.trim().split('=');
    if (value === undefined || rest.length > 0) return undefined;
    if (key === 't') {
      if (timestamp !== undefined || !/^\d{1,12}$/.test(value)) return undefined;
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-fA-F]{64}$/.test(value)) return undefined;
      signatures.push(value.toLowerCase());
    }
  }
  if (timestamp === undefined || signatures.length === 0) return undefined;
  return { timestamp, signatures };
}

/** What {@link verifyFleetwaveSignature} needs besides the request. */
export interface FleetwaveVerifyOptions {
  /** The current time, unix seconds. */
  nowSeconds: number;
  /** Defaults to {@link SIGNATURE_TOLERANCE_SECONDS}. */
  toleranceSeconds?: number;
}

/**
 * Throws unless `header` carries a `v1` signature of `<t>.<body>` under one
 * of `secrets`, with `t` within the tolerance of now (past or future).
 * Returns the signed timestamp (unix seconds).
 */
export function verifyFleetwaveSignature(
  body: RawBody,
  header: string | undefined,
  secrets: Secrets,
  options: FleetwaveVerifyOptions,
): number {
  const keys = secretList(secrets);
  const parsed = parseFleetwaveSignature(header);
  if (!parsed) throw invalid();
  const tolerance = options.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS;
  if (Math.abs(options.nowSeconds - parsed.timestamp) > tolerance) throw invalid();
  const expected = keys.map((key) => hmacHex(key, `${parsed.timestamp}.`, body));
  if (!anyEqual(parsed.signatures, expected)) throw invalid();
  return parsed.timestamp;
}

/**
 * The `X-Fleetwave-Signature` value for `body` sent at `timestampSeconds`:
 * `t=<t>,v1=<hex>`, one `v1` per secret (give the new and the old secret
 * while receivers rotate).
 */
export function signFleetwavePayload(body: RawBody, secrets: Secrets, timestampSeconds: number): string {
  if (!Number.isInteger(timestampSeconds) || timestampSeconds < 0) {
    throw new RangeError('timestampSeconds must be a non-negative integer');
  }
  const keys = typeof secrets === 'string' ? [secrets] : [...secrets];
  if (keys.length === 0 || keys.some((k) => k.length === 0))
    throw new RangeError('A signing secret is empty');
  const v1 = keys.map((key) => `v1=${hmacHex(key, `${timestampSeconds}.`, body)}`);
  return [`t=${timestampSeconds}`, ...v1].join(',');
}

/** A webhook request as a handler has it: headers (any case) and the raw body. */
export interface WebhookRequest {
  headers: Readonly<Record<string, string | undefined>>;
  body: RawBody;
}

function header(request: WebhookRequest, name: string): string | undefined {
  const key = Object.keys(request.headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : request.headers[key];
}

/** The scheme a request is signed with, by the header it carries (GitHub, then GitLab, then generic). */
export function webhookSchemeOf(request: WebhookRequest): WebhookScheme | undefined {
  return webhookSchemes.find((scheme) => header(request, webhookSignatureHeaders[scheme]) !== undefined);
}

/**
 * Verifies `request` under `scheme` with the scheme's secrets; `nowSeconds`
 * is only read by the generic scheme. Throws `UnauthorizedError('Invalid
 * signature')` on any failure.
 */
export function verifyWebhookRequest(
  scheme: WebhookScheme,
  request: WebhookRequest,
  secrets: Secrets,
  nowSeconds: number,
): void {
  const value = header(request, webhookSignatureHeaders[scheme]);
  if (scheme === 'github') verifyGitHubSignature(request.body, value, secrets);
  else if (scheme === 'gitlab') verifyGitLabToken(value, secrets);
  else verifyFleetwaveSignature(request.body, value, secrets, { nowSeconds });
}

/**
 * The local gateway's `AWS_IAM` authoriser, when the stack runs with
 * `FLEETWAVE_LOCAL_AUTH=sigv4`: each request to a route with the `aws_iam`
 * authorizer must carry a SigV4 signature (service `execute-api`, the
 * stack's region) made with the access key the stack was started with
 * (`AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`). The signature is checked
 * as API Gateway checks it, by signing the same canonical request again with
 * the SDK's signer and comparing in constant time; the refusals are API
 * Gateway's 403s, with its messages. A request that passes carries the
 * caller in `requestContext.authorizer.iam`, where the handlers read the
 * actor on AWS.
 *
 * Only the Authorization header form is accepted (no presigned query
 * strings): it is what the CLI and the SDKs send.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { constantTimeEqual } from '../../lib/domain/webhook-signatures.js';

/** The key pair requests must be signed with. */
interface SigV4Key {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** What the gateway checks a request against. */
export interface SigV4Settings {
  readonly key: SigV4Key;
  /**
   * More key pairs the gateway accepts (`FLEETWAVE_LOCAL_SIGV4_KEYS`), each
   * its own caller: on AWS, different people sign with different IAM
   * principals, and a wave that asks for a second approver tells them apart.
   */
  readonly otherKeys?: readonly SigV4Key[];
  readonly region: string;
}

/**
 * `AKID1:secret1,AKID2:secret2`: the extra key pairs of `FLEETWAVE_LOCAL_SIGV4_KEYS`.
 * @throws Error for an entry that is not `<access key id>:<secret>`
 */
function otherKeysOf(value: string | undefined): SigV4Key[] {
  if (value === undefined || value.trim() === '') return [];
  return value.split(',').map((entry) => {
    const colon = entry.indexOf(':');
    const accessKeyId = entry.slice(0, colon).trim();
    const secretAccessKey = entry.slice(colon + 1).trim();
    if (colon < 1 || !/^[A-Z0-9]{4,128}$/.test(accessKeyId) || secretAccessKey === '')
      throw new Error(
        'FLEETWAVE_LOCAL_SIGV4_KEYS must list <access key id>:<secret> pairs, separated by commas',
      );
    return { accessKeyId, secretAccessKey };
  });
}

/** A request as it arrived, before any decoding. */
export interface SignedRequest {
  method: string;
  /** Path and query string exactly as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The caller a valid signature names (the access key id locally, the IAM principal on AWS). */
export interface SigV4Caller {
  readonly accessKeyId: string;
}

/** A request API Gateway would refuse with 403 and `{"message": <message>}`. */
export class SigV4Refusal extends Error {
  override readonly name = 'SigV4Refusal';
}

/** API Gateway allows a signature's date this far from its own clock, either way. */
const maxSkewMs = 15 * 60 * 1000;

/** API Gateway's answer to a signature that does not match. */
export const sigV4Mismatch =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

const messages = {
  missing: 'Missing Authentication Token',
  unknownKey: 'The security token included in the request is invalid.',
  mismatch: sigV4Mismatch,
  host: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
  date: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
} as const;

/**
 * The settings `FLEETWAVE_LOCAL_AUTH=sigv4` asks for, or undefined when it is unset.
 * @throws Error when it has another value, or the key pair is not set
 */
export function sigV4SettingsOf(
  env: Readonly<Record<string, string | undefined>>,
  region: string,
): SigV4Settings | undefined {
  const mode = env.FLEETWAVE_LOCAL_AUTH;
  if (mode === undefined || mode === '') return undefined;
  if (mode !== 'sigv4') throw new Error(`FLEETWAVE_LOCAL_AUTH must be 'sigv4' or unset (got '${mode}')`);
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
  if (!accessKeyId || !secretAccessKey)
    throw new Error('FLEETWAVE_LOCAL_AUTH=sigv4 needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
  return {
    key: { accessKeyId, secretAccessKey },
    otherKeys: otherKeysOf(env.FLEETWAVE_LOCAL_SIGV4_KEYS),
    region,
  };
}

interface AuthorizationParts {
  accessKeyId: string;
  scope: { date: string; region: string; service: string; terminator: string };
  signedHeaders: string[];
  signature: string;
}

/** `AWS4-HMAC-SHA256 Credential=<id>/<date>/<region>/<service>/aws4_request, SignedHeaders=a;b, Signature=<hex>`. */
function parseAuthorization(authorization: string): AuthorizationParts {
  const match = /^AWS4-HMAC-SHA256\s+(.*)$/.exec(authorization.trim());
  if (!match) throw new SigV4Refusal(messages.missing);
  const fields = new Map<string, string>();
  for (const part of (match[1] ?? '').split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) {
    const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((name) => !fields.get(name));
    throw new SigV4Refusal(
      missing.map((name) => `Authorization header requires '${name}' parameter.`).join(' '),
    );
  }
  const [accessKeyId = '', date = '', region = '', service = '', terminator = ''] = credential.split('/');
  return {
    accessKeyId,
    scope: { date, region, service, terminator },
    signedHeaders: signedHeaders.split(';'),
    signature,
  };
}

/** `20261206T080000Z` as epoch ms, or NaN. */
function amzDateMs(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const ms = Date.UTC(y as number, (mo as number) - 1, d, h, mi, s);
  // Date.UTC rolls a month 13 or a second 60 over into a valid time: only a date that reads back the same is one.
  return Number.isFinite(ms) && amzDate(ms) === value ? ms : Number.NaN;
}

/** `20261206T080000Z` */
function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function checkScope(parts: AuthorizationParts, settings: SigV4Settings, requestDate: string): void {
  const { scope } = parts;
  if (scope.service !== 'execute-api')
    throw new SigV4Refusal("Credential should be scoped to correct service: 'execute-api'. ");
  if (scope.region !== settings.region)
    throw new SigV4Refusal(
      `Credential should be scoped to a valid region, not '${scope.region}'. Credential should be scoped to correct region: '${settings.region}'.`,
    );
  if (scope.terminator !== 'aws4_request' || scope.date !== requestDate.slice(0, 8))
    throw new SigV4Refusal(
      `Credential should be scoped to a valid date and 'aws4_request' terminator: ${parts.accessKeyId}/${scope.date}/${scope.region}/${scope.service}/${scope.terminator}`,
    );
  if (!parts.signedHeaders.includes('host')) throw new SigV4Refusal(messages.host);
}

function checkDate(requestDate: string, nowMs: number): void {
  const signedAt = amzDateMs(requestDate);
  if (Number.isNaN(signedAt)) throw new SigV4Refusal(messages.date);
  if (signedAt < nowMs - maxSkewMs)
    throw new SigV4Refusal(
      `Signature expired: ${requestDate} is now earlier than ${amzDate(nowMs - maxSkewMs)} (${amzDate(nowMs)} - 15 min.)`,
    );
  if (signedAt > nowMs + maxSkewMs)
    throw new SigV4Refusal(
      `Signature not yet current: ${requestDate} is still later than ${amzDate(nowMs + maxSkewMs)} (${amzDate(nowMs)} + 15 min.)`,
    );
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  // A signed-header name such as `constructor` must not read what the headers object inherits.
  if (!Object.hasOwn(headers, name)) return undefined;
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** The query string as the signer takes it: decoded names and values, repeated names as lists. */
function queryOf(rawQuery: string): Record<string, string | string[]> {
  const params = new URLSearchParams(rawQuery);
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    query[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return query;
}

/** The signature the request should carry, computed by the SDK's signer over the headers the caller signed. */
async function expectedSignature(
  request: SignedRequest,
  parts: AuthorizationParts,
  settings: { region: string; key: SigV4Key },
  signedAt: number,
): Promise<string> {
  const headers: Record<string, string> = {};
  for (const name of parts.signedHeaders) {
    const value = headerValue(request.headers, name);
    // A header the signature says it covers must be there, as it is in what API Gateway signs again.
    if (value === undefined) throw new SigV4Refusal(messages.mismatch);
    headers[name] = value;
  }
  const q = request.url.indexOf('?');
  const signer = new SignatureV4({
    service: 'execute-api',
    region: settings.region,
    credentials: settings.key,
    sha256: Sha256,
    // Left unset, the signer would add and sign a payload hash the caller did not sign.
    applyChecksum: parts.signedHeaders.includes('x-amz-content-sha256'),
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: headers.host ?? '',
      path: q < 0 ? request.url : request.url.slice(0, q),
      query: q < 0 ? {} : queryOf(request.url.slice(q + 1)),
      headers,
      body: request.body,
    },
    { signingDate: new Date(signedAt), signableHeaders: new Set(parts.signedHeaders) },
  );
  const authorization = String(signed.headers.authorization ?? '');
  return /Signature=([0-9a-f]+)/.exec(authorization)?.[1] ?? '';
}

/** A payload hash the caller signed must be the body's: the signer would otherwise trust it. */
async function checkPayloadHash(request: SignedRequest): Promise<void> {
  const claimed = headerValue(request.headers, 'x-amz-content-sha256');
  if (claimed === undefined) return;
  const hash = new Sha256();
  hash.update(request.body);
  const actual = Buffer.from(await hash.digest()).toString('hex');
  if (claimed !== actual) throw new SigV4Refusal(messages.mismatch);
}

/**
 * Checks a request's SigV4 signature against `settings` at `nowMs`.
 * @returns the caller the signature names
 * @throws SigV4Refusal with API Gateway's message for a missing, malformed, expired or wrong signature
 */
export async function verifySigV4(
  request: SignedRequest,
  settings: SigV4Settings,
  nowMs: number,
): Promise<SigV4Caller> {
  const authorization = headerValue(request.headers, 'authorization');
  if (authorization === undefined || authorization === '') throw new SigV4Refusal(messages.missing);
  const parts = parseAuthorization(authorization);
  const requestDate = headerValue(request.headers, 'x-amz-date');
  if (requestDate === undefined) throw new SigV4Refusal(messages.date);
  checkScope(parts, settings, requestDate);
  checkDate(requestDate, nowMs);
  const key = [settings.key, ...(settings.otherKeys ?? [])].find((k) => k.accessKeyId === parts.accessKeyId);
  if (!key) throw new SigV4Refusal(messages.unknownKey);
  await checkPayloadHash(request);
  const expected = await expectedSignature(
    request,
    parts,
    { region: settings.region, key },
    amzDateMs(requestDate),
  );
  if (!constantTimeEqual(expected, parts.signature)) throw new SigV4Refusal(messages.mismatch);
  return { accessKeyId: parts.accessKeyId };
}

/**
 * `requestContext.authorizer` as API Gateway fills it for a request its IAM
 * authoriser let in; locally the caller is known by access key only, so the
 * key id stands where the IAM ARN and user id would be.
 */
export function iamAuthorizerOf(
  caller: SigV4Caller,
  accountId: string,
): { iam: Record<string, string | null> } {
  return {
    iam: {
      accessKey: caller.accessKeyId,
      accountId,
      callerId: caller.accessKeyId,
      cognitoIdentity: null,
      principalOrgId: null,
      userArn: caller.accessKeyId,
      userId: caller.accessKeyId,
    },
  };
}

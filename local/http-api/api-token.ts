/**
 * The local gateway's stand-in for IAM. On AWS the REST routes carry the
 * `aws_iam` authorizer and API Gateway checks SigV4 before any handler runs,
 * so the handlers never see an unauthenticated request. Locally there is no
 * IAM: when `FLEETWAVE_API_TOKEN` is set, the gateway asks the same routes
 * (those `serverless.yml` gives the `aws_iam` authorizer) for
 * `Authorization: Bearer <token>` instead, before the handler runs. Routes
 * without an authorizer (signed webhooks) are let through, as on AWS.
 */
import { UnauthorizedError } from '../../lib/domain/errors.js';
import { constantTimeEqual } from '../../lib/domain/webhook-signatures.js';

/** The challenge a 401 carries (RFC 6750). */
export const bearerChallenge = 'Bearer realm="fleetwave"';

/** A shorter token is too easy to guess to guard anything. */
const minTokenLength = 16;

/**
 * The token `FLEETWAVE_API_TOKEN` sets in `env`, or undefined when unset.
 * @throws Error when it is set but shorter than 16 characters
 */
export function apiTokenOf(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const token = env.FLEETWAVE_API_TOKEN;
  if (token !== undefined && token.length < minTokenLength) {
    throw new Error(`FLEETWAVE_API_TOKEN must be at least ${minTokenLength} characters`);
  }
  return token;
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer[ ]+([^\s]+)[ ]*$/i.exec(authorization ?? '');
  return match?.[1];
}

function header(headers: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  // The gateway lower-cases header names; a hand-built header map may not.
  return headers[name] ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
}

/**
 * Checks the request's bearer token against `expected`; does nothing when
 * no token is configured. Missing and wrong tokens get the same answer, and
 * the comparison takes the same time whatever the token, so a caller learns
 * nothing about the expected value.
 * @throws UnauthorizedError carrying the Bearer challenge
 */
export function checkApiToken(
  headers: Readonly<Record<string, string | undefined>> | undefined,
  expected: string | undefined,
): void {
  if (expected === undefined) return;
  const token = bearerToken(header(headers ?? {}, 'authorization'));
  if (token === undefined || !constantTimeEqual(token, expected)) {
    throw new UnauthorizedError(
      'A valid bearer token is required (Authorization: Bearer <token>).',
      bearerChallenge,
    );
  }
}

/** The caller of a REST route when the stand-in check (a bearer token, or none) let it in. */
const LOCAL_ACTOR = 'local';

/**
 * `requestContext.authorizer` for a request the stand-in check let in: the
 * gateway knows no principal, so the handlers (which read the actor where
 * API Gateway puts the IAM caller) record `local`.
 */
export function localAuthorizer(accountId: string): { iam: Record<string, string | null> } {
  return {
    iam: {
      accessKey: null,
      accountId,
      callerId: LOCAL_ACTOR,
      cognitoIdentity: null,
      principalOrgId: null,
      userArn: LOCAL_ACTOR,
      userId: LOCAL_ACTOR,
    },
  };
}

/**
 * Bearer-token authentication for the REST routes when fleetwave runs
 * without IAM in front of it (the local stack). On AWS the routes carry the
 * `aws_iam` authorizer and API Gateway checks SigV4 before the handler runs;
 * `FLEETWAVE_API_TOKEN` stays unset there and this middleware lets every
 * request through. Routes that prove their caller otherwise (signed
 * webhooks) opt out with `auth: 'none'`.
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { UnauthorizedError } from '../domain/errors.js';
import { constantTimeEqual } from '../domain/webhook-signatures.js';

/** How a route authenticates its caller: the API token (when one is configured), or not at all here. */
export type RouteAuth = 'api-token' | 'none';

/** The challenge a 401 carries (RFC 6750). */
export const bearerChallenge = 'Bearer realm="fleetwave"';

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer[ ]+([^\s]+)[ ]*$/i.exec(authorization ?? '');
  return match?.[1];
}

function header(headers: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  // API Gateway lower-cases header names; a hand-built event may not.
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

/** Middleware running {@link checkApiToken} before validation, so a stranger learns nothing about the API's rules. */
export function apiTokenAuth(
  expected: () => string | undefined,
): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    before: (request) => checkApiToken(request.event.headers, expected()),
  };
}

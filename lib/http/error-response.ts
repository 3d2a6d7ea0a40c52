/**
 * The one mapping from errors to HTTP answers. Domain errors are recognised
 * by class and mapped by their literal `name`; anything else is an unexpected
 * fault and becomes an opaque 500, so no stack trace, SDK message or internal
 * name ever reaches a caller. Upstream failures (502) are just as opaque: the
 * dependency's own error stays in the logs.
 */

import type { DomainErrorName } from '../domain/errors.js';
import { FleetwaveError, ThrottledError, UnauthorizedError, ValidationError } from '../domain/errors.js';
import type { HttpResult } from './responses.js';

/** Status code of each domain error name. */
const statusByErrorName: Readonly<Record<DomainErrorName, number>> = {
  ValidationError: 400,
  UnauthorizedError: 401,
  ForbiddenError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  PayloadTooLargeError: 413,
  UnsupportedMediaTypeError: 415,
  ThrottledError: 429,
  UpstreamError: 502,
};

/** Body of every error answer: `code` is the domain error name (or `InternalError`). */
interface ErrorBody {
  code: DomainErrorName | 'InternalError';
  message: string;
  details?: { path: string; message: string }[];
}

const upstreamMessage = 'A service fleetwave depends on failed. Try again later.';
const internalMessage = 'Internal server error.';

function isDomainError(error: unknown): error is FleetwaveError & { name: DomainErrorName } {
  return error instanceof FleetwaveError && Object.hasOwn(statusByErrorName, error.name);
}

/** The HTTP answer for `error`. */
export function errorResult(error: unknown): HttpResult {
  if (!isDomainError(error)) {
    return { statusCode: 500, body: { code: 'InternalError', message: internalMessage } satisfies ErrorBody };
  }
  const statusCode = statusByErrorName[error.name];
  if (error.name === 'UpstreamError') {
    return { statusCode, body: { code: error.name, message: upstreamMessage } satisfies ErrorBody };
  }
  const body: ErrorBody = { code: error.name, message: error.message };
  if (error instanceof ValidationError) body.details = error.details;
  const headers: Record<string, string> = {};
  if (error instanceof ThrottledError)
    headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterSeconds)));
  if (error instanceof UnauthorizedError && error.challenge) headers['www-authenticate'] = error.challenge;
  return { statusCode, body, headers };
}

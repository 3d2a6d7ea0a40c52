/**
 * A release request that arrives inside something else (a generic webhook's
 * body, a GitHub `repository_dispatch` client payload, an EventBridge
 * event's detail): the `POST /releases` body, plus an optional
 * `idempotencyKey` member standing for the `Idempotency-Key` header. It is
 * validated by the very schema `POST /releases` enforces, so every way in
 * accepts and refuses exactly the same requests.
 */
import { ValidationError } from '../domain/errors.js';
import { fieldProblems } from '../http/parse-request.js';
import type { CreateReleaseInput } from '../releases/create-release.js';
import { createReleaseBodySchema, idempotencyKeySchema } from '../releases/schemas.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates `value` as a release request with an optional `idempotencyKey`.
 * `fallbackKey` (e.g. a delivery or event id that a redelivery repeats)
 * keys the release when the request names neither a `releaseId` nor an
 * `idempotencyKey`.
 * @throws ValidationError naming every bad field, exactly as `POST /releases` would
 */
export function releaseInputOf(value: unknown, fallbackKey?: string): CreateReleaseInput {
  if (!isObject(value)) {
    throw new ValidationError('Invalid request: body.', [
      { path: '', message: 'must be a JSON object (a release request)' },
    ]);
  }
  const { idempotencyKey, ...request } = value;
  const body = createReleaseBodySchema.safeParse(request);
  const key = idempotencyKeySchema.optional().safeParse(idempotencyKey);
  const problems = [
    ...(key.success ? [] : fieldProblems(key.error).map((p) => ({ ...p, path: 'idempotencyKey' }))),
    ...(body.success ? [] : fieldProblems(body.error)),
  ];
  if (!body.success || !key.success) {
    const fields = [...new Set(problems.map((p) => p.path || 'body'))];
    throw new ValidationError(`Invalid request: ${fields.join(', ')}.`, problems);
  }
  const chosenKey = key.data ?? (body.data.releaseId === undefined ? fallbackKey : undefined);
  return { body: body.data, ...(chosenKey !== undefined && { idempotencyKey: chosenKey }) };
}

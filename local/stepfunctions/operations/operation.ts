/**
 * One Step Functions operation: a zod schema for its request (validation
 * apart from behaviour) and the behaviour itself. A request that fails the
 * schema is a `ValidationException` worded the way AWS words it.
 */
import type { z } from 'zod';
import { sfnError } from '../errors.js';
import type { SfnStore } from '../store.js';

export interface SfnOperation<Input = unknown> {
  readonly schema: z.ZodType<Input>;
  run(store: SfnStore, input: Input): unknown;
}

export function defineOperation<Input>(
  schema: z.ZodType<Input>,
  run: (store: SfnStore, input: Input) => unknown,
): SfnOperation<Input> {
  return { schema, run };
}

/** Validates a request body against an operation's schema. */
export function validateRequest<I>(operation: SfnOperation<I>, body: unknown): I {
  const parsed = operation.schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const path = issue.path.join('.') || 'request';
    if (issue.code === 'invalid_type' && issue.input === undefined) {
      return `Value null at '${path}' failed to satisfy constraint: Member must not be null`;
    }
    return `Value at '${path}' failed to satisfy constraint: ${issue.message}`;
  });
  const count = problems.length;
  throw sfnError(
    'ValidationException',
    `${count} validation error${count === 1 ? '' : 's'} detected: ${problems.join('; ')}`,
  );
}

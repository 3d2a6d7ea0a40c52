/**
 * Shared plumbing of the fleet simulator's admin routes: JSON bodies checked
 * with zod, and errors answered as `{message}` (plus `details` naming the bad
 * fields) with 400 for a bad request and 404 for something missing. Errors
 * of the IoT registry (an `IotError`, e.g. a conflicting thing group) pass
 * through with their own status and `x-amzn-errortype`.
 */
import { z } from 'zod';
import { NotFoundError, toFieldProblems, ValidationError } from '../../../lib/domain/errors.js';
import type { AdminHandler, AdminRequest, AdminResponse } from '../../iot/index.js';

/** `emulator.addAdminRoute`, as the route modules receive it. */
export type AddAdminRoute = (method: string, path: string, handler: AdminHandler) => void;

function describeProblems(problems: readonly { path: string; message: string }[]): string {
  return problems.map((p) => (p.path === '' ? p.message : `${p.path}: ${p.message}`)).join('; ');
}

/** The error as an admin answer, or undefined for an error the admin layer maps itself. */
function errorResponse(error: unknown): AdminResponse | undefined {
  if (error instanceof z.ZodError) {
    const details = toFieldProblems(error);
    return { status: 400, body: { message: `Invalid request: ${describeProblems(details)}.`, details } };
  }
  if (error instanceof ValidationError) {
    const message =
      error.details.length === 0 ? error.message : `${error.message} ${describeProblems(error.details)}.`;
    return { status: 400, body: { message, details: error.details } };
  }
  // planFleet's checks on sizes, shares and weights.
  if (error instanceof RangeError) return { status: 400, body: { message: error.message } };
  if (error instanceof NotFoundError) return { status: 404, body: { message: error.message } };
  return undefined;
}

/** Wraps a handler so that validation and lookup failures become 400 and 404 answers. */
export function adminRoute(
  handler: (req: AdminRequest) => Promise<AdminResponse> | AdminResponse,
): AdminHandler {
  return async (req) => {
    try {
      return await handler(req);
    } catch (error) {
      const answer = errorResponse(error);
      if (answer) return answer;
      throw error;
    }
  };
}

/** Parses a JSON body with `schema`; a missing body is an empty object, so the schema names what is required. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  return schema.parse(body ?? {});
}

/**
 * Retrying requests that are safe to send twice: a create (idempotent by
 * release id or `Idempotency-Key`) and a cancel (a repeat is a 409 "already
 * CANCELED" that confirms it). Only failures after which the same request
 * may well succeed are retried.
 */
import { ApiError, ApiUnreachableError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import type { ApiAnswer, ApiClient, ApiRequest } from './client.js';

/** Attempts in all, the first included. */
const defaultAttempts = 3;

/** Throttling, a 5xx, or a connection cut mid-way (the request may or may not have arrived). */
function isRetryable(error: unknown): boolean {
  if (error instanceof ApiError) return error.exitCode === ExitCode.API_FAILED;
  // Nothing listening will not start listening in a second.
  return (
    error instanceof ApiUnreachableError && !['connection refused', 'host not found'].includes(error.reason)
  );
}

export interface RetryOptions {
  attempts?: number;
  /**
   * Called when a retry (not the first attempt) fails for good: the error may
   * be the trace of the earlier attempt's success (a 409 after a cancel that
   * did arrive). Resolves with the answer to use instead, or undefined.
   */
  afterRetryFailed?: (error: unknown) => Promise<ApiAnswer | undefined>;
}

/** Sends `request`, retrying retryable failures after 1 s, 2 s, ... or the API's Retry-After. */
export async function sendWithRetries(
  client: ApiClient,
  request: ApiRequest,
  io: CliIo,
  options: RetryOptions = {},
): Promise<ApiAnswer> {
  const attempts = options.attempts ?? defaultAttempts;
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.send(request);
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) {
        const instead = attempt > 1 ? await options.afterRetryFailed?.(error) : undefined;
        if (instead) return instead;
        throw error;
      }
      const retryAfter = error instanceof ApiError ? error.retryAfterSeconds : undefined;
      const waitMs = (retryAfter ?? 2 ** (attempt - 1)) * 1000;
      io.stderr.write(
        `${(error as Error).message}; trying again in ${waitMs / 1000} s (attempt ${attempt + 1} of ${attempts})\n`,
      );
      await io.sleep(waitMs);
    }
  }
}

/**
 * GET /releases/{releaseId}/failure-reasons?wave=: the failing executions of
 * one wave (or all) grouped by the reason their devices gave, most frequent first.
 */
import { httpHandler, ok } from '../../lib/http/index.js';
import { executionReadDeps, requestMeta } from '../../lib/releases/deps.js';
import { failureReasonsQuerySchema } from '../../lib/releases/execution-schemas.js';
import { failureReasons } from '../../lib/releases/failure-reasons.js';
import { releasePathSchema } from '../../lib/releases/schemas.js';

export const handler = httpHandler(
  { path: releasePathSchema, query: failureReasonsQuerySchema },
  async ({ path, query }, { event, lambda }) =>
    ok(
      await failureReasons(executionReadDeps(requestMeta(event)), path.releaseId, query.wave, {
        remainingMs: () => lambda.getRemainingTimeInMillis(),
      }),
    ),
);

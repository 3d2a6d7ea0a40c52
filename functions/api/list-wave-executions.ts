/**
 * GET /releases/{releaseId}/waves/{waveNumber}/executions?status=&maxResults=&nextToken=:
 * the wave's job executions with their devices' `statusDetails`, `{items, nextToken}`.
 */
import { httpHandler, ok } from '../../lib/http/index.js';
import { executionReadDeps, requestMeta } from '../../lib/releases/deps.js';
import { waveExecutionsQuerySchema, wavePathSchema } from '../../lib/releases/execution-schemas.js';
import { listWaveExecutions } from '../../lib/releases/wave-executions.js';

export const handler = httpHandler(
  { path: wavePathSchema, query: waveExecutionsQuerySchema },
  async ({ path, query }, { event }) =>
    ok(
      await listWaveExecutions(executionReadDeps(requestMeta(event)), path.releaseId, path.waveNumber, query),
    ),
);

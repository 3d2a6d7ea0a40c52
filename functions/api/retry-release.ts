/**
 * POST /releases/{releaseId}/retry (body `{releaseId?, jobTemplateId?,
 * waves?}` optional): a new release over the things whose executions in
 * the ended original failed, timed out or were rejected; 202 with it
 * (`retryOf` names the original). 404 for an unknown original, 409 when it
 * has not ended or nothing failed.
 */
import { deriveRouteHandler } from '../../lib/releases/derive-route.js';

export const handler = deriveRouteHandler('retry');

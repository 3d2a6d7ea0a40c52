/**
 * POST /releases/{releaseId}/rollback (body `{jobTemplateId, releaseId?,
 * waves?}`): a new release rolling out `jobTemplateId` (the template that
 * puts the previous version back) to the things whose executions in the
 * ended original succeeded; 202 with it (`rollbackOf` names the original).
 * 404 for an unknown original, 409 when it has not ended or nothing succeeded.
 */
import { deriveRouteHandler } from '../../lib/releases/derive-route.js';

export const handler = deriveRouteHandler('rollback');

/**
 * POST /releases/{releaseId}/reject (body `{comment?}` optional): answers the
 * release's open approval gate; 200 with the release. 409 when it is not
 * waiting for approval, or another answer got there first.
 */
import { approvalRouteHandler } from '../../lib/releases/approval-route.js';

export const handler = approvalRouteHandler('reject');

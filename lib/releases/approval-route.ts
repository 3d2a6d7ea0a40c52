/**
 * The handler of POST /releases/{releaseId}/approve and /reject (body
 * `{comment?}` optional): the two routes differ only in the decision.
 */
import { type HttpRouteHandler, httpHandler, ok } from '../http/index.js';
import { type ApprovalDecision, answerApproval } from './answer-approval.js';
import { releaseApiDeps, requestMeta } from './deps.js';
import { approvalBodySchema, MAX_ACTION_BODY_BYTES, releasePathSchema } from './schemas.js';

/** The route answering the open approval gate with `decision`; 200 with the release. */
export function approvalRouteHandler(decision: ApprovalDecision): HttpRouteHandler {
  return httpHandler(
    { path: releasePathSchema, body: approvalBodySchema, maxBodyBytes: MAX_ACTION_BODY_BYTES },
    async ({ path, body }, { event }) => {
      const meta = requestMeta(event);
      const input = { releaseId: path.releaseId, decision, comment: body?.comment };
      return ok(await answerApproval(releaseApiDeps(meta), input, meta));
    },
  );
}

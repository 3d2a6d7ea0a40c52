/**
 * ContinueRelease: after the hold. A release resumed through the API is
 * announced (*Release Resumed*) and goes back to where it stood, by the
 * rule a restart follows (`resumeStep`): the next wave, what is left of a
 * bake, or the end. A release still PAUSED (the hold timed out with no
 * answer) is held again with a new token; a canceled one takes the cancel
 * path.
 */
import * as z from 'zod';
import { ConflictError } from '../domain/errors.js';
import { isTerminalReleaseStatus } from '../domain/statuses.js';
import type { WorkflowDeps } from './ports.js';
import { loadRelease } from './release-context.js';
import { releaseResumed } from './release-events.js';
import { resumeStep } from './resume-step.js';
import { carried, type TaskEvent, type WorkflowState } from './workflow-state.js';

/** The API's resume (`ResumeOutput`), as far as the announcement needs it. */
const resumeSchema = z.object({
  resumedAt: z.string().min(1),
  resumedBy: z.string().min(1).optional(),
  comment: z.string().min(1).optional(),
});

export async function continueRelease(deps: WorkflowDeps, { state, now }: TaskEvent): Promise<WorkflowState> {
  const loaded = await loadRelease(deps.store, state.releaseId);
  const { release } = loaded;
  const out = carried(state);
  if (release.status === 'CANCELED') return { ...out, next: 'canceled' };
  if (isTerminalReleaseStatus(release.status)) {
    throw new ConflictError(`Release ${release.releaseId} is already ${release.status}.`, release.releaseId);
  }
  const resume = resumeSchema.safeParse(state.resume);
  if (release.status !== 'PAUSED' && resume.success) {
    await deps.notifier.publish(releaseResumed(release, resume.data, now));
  }
  return { ...out, ...resumeStep(loaded, now, { afterRestart: false }) };
}

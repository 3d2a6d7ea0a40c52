/**
 * ContinueRelease: after the hold. A release resumed through the API is
 * announced (*Release Resumed*) and goes back to where it stood, by the
 * rule a restart follows (`resumeStep`): the next wave, what is left of a
 * bake, or the end. A release still PAUSED (the hold timed out with no
 * answer) is held again with a new token, or, at the release's end time,
 * ends by its end behaviour; a canceled one takes the cancel path.
 */
import * as z from 'zod';
import { ConflictError } from '../domain/errors.js';
import { endTimeReached } from '../domain/release-schedule.js';
import { isTerminalReleaseStatus } from '../domain/statuses.js';
import { toEpochMs } from '../domain/wave-evaluation.js';
import { endAtEndTime } from './end-at-end-time.js';
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
  // Still held at the release's end time (the hold's wait is cut there): it ends by its end behaviour.
  if (release.status === 'PAUSED' && endTimeReached(release, toEpochMs(now))) {
    return { ...out, ...(await endAtEndTime(deps, release, now)) };
  }
  const resume = resumeSchema.safeParse(state.resume);
  if (release.status !== 'PAUSED' && resume.success) {
    await deps.notifier.publish(releaseResumed(release, resume.data, now));
  }
  return { ...out, ...resumeStep(loaded, now, { afterRestart: false }) };
}

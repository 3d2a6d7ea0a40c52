/**
 * Errors only the workflow raises. Their `name` is what the state machine's
 * Catch clauses see; none is in a Retry list, because retrying cannot fix
 * them.
 */
import { FleetwaveError, PacedError } from '../domain/errors.js';
import type { WorkflowState } from './workflow-state.js';

/**
 * A job with a wave's deterministic id exists but is not the wave's own
 * (another template or other targets): fleetwave never adopts, cancels or
 * duplicates it, and the release fails naming it.
 */
export class ForeignJobError extends FleetwaveError {
  override readonly name = 'ForeignJobError' as const;
  constructor(
    message: string,
    readonly jobId: string,
  ) {
    super(message);
  }
}

/**
 * The release was canceled through the API while the workflow was about to
 * wait for something (an approval): the state machine leaves the wait and
 * cleans up instead.
 */
export class ReleaseCanceledError extends FleetwaveError {
  override readonly name = 'ReleaseCanceled' as const;
}

/**
 * A paced call that came after the task had already done part of its work:
 * the task waits for its slot as for any {@link PacedError}, then runs again
 * from `state` (its progress) instead of from its input, so the part done
 * is not done again. Never reaches the state machine.
 */
export class PacedAfterProgress extends PacedError {
  constructor(
    paced: PacedError,
    readonly state: WorkflowState,
  ) {
    super(paced.message, paced.api, paced.at);
  }
}

/**
 * IoT refused a wave's CreateJob because its `schedulingConfig.endTime` is
 * too near (less than 30 minutes ahead by IoT's clock): the release has in
 * effect reached its end time, and StartWave ends it by its end behaviour
 * instead of failing it. Never reaches the state machine.
 */
export class EndTimeRefusedError extends FleetwaveError {
  override readonly name = 'EndTimeRefused' as const;
  constructor(
    message: string,
    readonly jobId: string,
  ) {
    super(message);
  }
}

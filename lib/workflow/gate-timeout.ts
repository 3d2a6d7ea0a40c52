/**
 * How long the approval gate (AwaitApproval) and the hold (HoldRelease)
 * wait for their answer: a week, so that a lost answer cannot strand a
 * release, and never past the release's end time, so that a release
 * waiting for a person at its end time ends by its end behaviour then
 * (RefuseApproval and ContinueRelease see the end time reached).
 */
import type { WorkflowState } from './workflow-state.js';

/** The longest wait for an approval or a resume (the gate's and the hold's TimeoutSeconds before). */
export const GATE_TIMEOUT_SECONDS = 604_800;

/** The steps whose next state waits for a callback with {@link gateTimeoutSeconds}. */
const GATED_STEPS = new Set<WorkflowState['next']>(['approval', 'hold']);

/** The wait at `nowMs` (whole seconds, ≥ 1) for a release that ends at `endsAt` (ISO-8601), if it does. */
function gateTimeoutSeconds(endsAt: string | undefined, nowMs: number): number {
  if (endsAt === undefined) return GATE_TIMEOUT_SECONDS;
  const left = Math.ceil((Date.parse(endsAt) - nowMs) / 1000);
  return Math.max(1, Math.min(GATE_TIMEOUT_SECONDS, left));
}

/**
 * A task's output with `gateTimeoutSeconds` set when it goes to a gate or a
 * hold; any other output as it is. Applied once, to every task's output, so
 * no path into a gate can miss it.
 */
export function withGateTimeout<R>(output: R, nowMs: number): R {
  if (typeof output !== 'object' || output === null) return output;
  const state = output as Partial<Pick<WorkflowState, 'next' | 'endsAt'>>;
  if (!GATED_STEPS.has(state.next)) return output;
  return { ...output, gateTimeoutSeconds: gateTimeoutSeconds(state.endsAt, nowMs) };
}

/**
 * How many times the workflow describes a wave's job, for a plan's count of
 * DescribeJob calls and state transitions. A wave sleeps until its job's
 * event wakes it (one look, at the end); before that it looks at the first
 * poll and then on its safety net (`lib/workflow/wave-wake-timing.ts`),
 * whose waits grow with the wave's age.
 */
import { DEFAULT_ADAPTIVE_WAIT } from '../domain/adaptive-wait.js';
import type { WaveDefinition } from '../domain/release-request.js';
import { safetyNetSeconds } from '../workflow/wave-wake-timing.js';

/**
 * The most looks at a wave whose job runs `durationMs`: the end's wake-up,
 * the first poll, and each safety-net look before the end (the safety
 * net's spread taken as none, its shortest waits).
 */
export function safetyNetLooks(
  definition: Pick<WaveDefinition, 'timeoutMinutes'>,
  durationMs: number,
): number {
  let looks = 1;
  const deadlineMs = Math.min(durationMs, definition.timeoutMinutes * 60_000);
  for (let atMs = DEFAULT_ADAPTIVE_WAIT.initialSeconds * 1000; atMs < deadlineMs; looks++) {
    atMs += safetyNetSeconds(0, atMs, definition) * 1000;
  }
  return looks;
}

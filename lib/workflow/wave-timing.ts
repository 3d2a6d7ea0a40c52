/**
 * How long the workflow waits between looks at a wave: the adaptive poll
 * while the wave runs, and the checks while it bakes. Every look costs a
 * DescribeJob call (about 10 TPS per account, shared by every release) and
 * three state transitions, and an execution fails once its history passes
 * 25,000 events (about nine per look): long waits where nothing moves keep
 * a long release inside that budget.
 */
import { type AdaptiveWaitPolicy, DEFAULT_ADAPTIVE_WAIT } from '../domain/adaptive-wait.js';
import type { WaveDefinition } from '../domain/release-request.js';

/** At most this many unchanged polls fit in a wave's timeout, whatever its length. */
const MAX_POLLS_PER_TIMEOUT = 500;

/**
 * The adaptive wait of a wave: the domain's default (15 s, doubling while
 * nothing changes, at most 300 s), with the cap raised for waves whose
 * timeout is longer than 500 × 300 s (about 42 hours), so that even a wave
 * where nothing moves until its timeout polls at most ~500 times.
 */
export function waitPolicyFor(definition: Pick<WaveDefinition, 'timeoutMinutes'>): AdaptiveWaitPolicy {
  const maxSeconds = Math.max(
    DEFAULT_ADAPTIVE_WAIT.maxSeconds,
    Math.ceil((definition.timeoutMinutes * 60) / MAX_POLLS_PER_TIMEOUT),
  );
  return { ...DEFAULT_ADAPTIVE_WAIT, maxSeconds };
}

/** The longest single wait of a bake: a bake of an hour or less is one wait then one check. */
const MAX_BAKE_WAIT_SECONDS = 3600;

/** The next wait of a bake that ends in `remainingMs` (whole seconds, at least 1). */
export function bakeWaitSeconds(remainingMs: number): number {
  return Math.max(1, Math.min(MAX_BAKE_WAIT_SECONDS, Math.ceil(remainingMs / 1000)));
}

/** The first wait after a wave's job was created: the initial poll, cut at the wave's deadline. */
export function firstPollSeconds(deadlineMs: number, nowMs: number, policy: AdaptiveWaitPolicy): number {
  return Math.max(1, Math.min(policy.initialSeconds, Math.ceil((deadlineMs - nowMs) / 1000)));
}

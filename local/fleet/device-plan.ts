/**
 * What a simulated device will do with one attempt of a job execution: a
 * pure function of the seed, the execution's identity and the thing's
 * behaviour, drawn from the execution's own random stream.
 */
import type { DeviceOutcome, LatencySpec } from './behaviour-profile.js';
import { deviceFailureModes } from './behaviour-profile.js';
import type { ResolvedBehaviour } from './profile-resolver.js';
import { type RandomStream, sharedExecutionStream, standardNormal } from './random.js';

export interface AttemptPlan {
  readonly outcome: DeviceOutcome;
  /** Virtual ms from notification to IN_PROGRESS (unused when offline). */
  readonly startDelayMs: number;
  /** Virtual ms from IN_PROGRESS to the end (unused when offline or hanging). */
  readonly runDelayMs: number;
}

/** Identifies one attempt: the stream depends on these and nothing else. */
export interface AttemptKey {
  readonly seed: string;
  readonly jobId: string;
  readonly thingName: string;
  readonly executionNumber: number;
}

/** A lognormal draw with the spec's median, in ms. */
function drawLatencyMs(spec: LatencySpec, random: RandomStream): number {
  // Always draw, even with no spread, so that a change of spread in one
  // latency does not shift the draws of the other.
  const z = standardNormal(random);
  const seconds = spec.medianSeconds * Math.exp((spec.spread ?? 0) * z);
  return Math.round(Math.min(seconds, 7 * 24 * 3600) * 1000);
}

function drawOutcome(behaviour: ResolvedBehaviour, u: number): DeviceOutcome {
  let cumulative = 0;
  for (const mode of deviceFailureModes) {
    cumulative += behaviour.outcomes[mode];
    if (u < cumulative) return mode;
  }
  return 'succeed';
}

/** Plans one attempt. The draw order is fixed: outcome, start latency, run latency. */
export function planAttempt(key: AttemptKey, behaviour: ResolvedBehaviour): AttemptPlan {
  const random = sharedExecutionStream(key.seed, key.jobId, key.thingName, key.executionNumber);
  const outcome = drawOutcome(behaviour, random());
  const startDelayMs = drawLatencyMs(behaviour.startLatency, random);
  const runDelayMs = drawLatencyMs(behaviour.runLatency, random);
  return { outcome, startDelayMs, runDelayMs };
}

/**
 * When a wave that waits for IoT job events looks at its job anyway (the
 * safety net), and which recorded observations must wake it at once.
 *
 * With job events the workflow no longer needs to poll to notice progress:
 * a wave sleeps in a `.waitForTaskToken` task and is woken when its job
 * completes, is canceled or crosses the failure threshold. The task's
 * timeout is the safety net: should an event be lost, the wave is described
 * anyway when the timeout fires, so a lost event delays a wave but never
 * strands it. The net's interval grows with the wave's age (5 min at the
 * start, then three times the time already spent, capped at a quarter of
 * the wave's timeout and never past its deadline), so that a week-long wave
 * costs about ten looks while a ten-minute wave loses at most minutes to a
 * lost event.
 */

import type { WaveState } from '../domain/release.js';
import type { WaveDefinition } from '../domain/release-request.js';
import { failureThresholdReason } from '../domain/wave-evaluation.js';
import { haltStanding } from '../domain/wave-halt.js';
import { summarizeProgress } from '../domain/wave-progress.js';

/** The first safety-net look after a wave's job was created, and the shortest one. */
const SAFETY_NET_MIN_SECONDS = 300;
/** Each look waits this multiple of the wave's age so far (×4 growth: 5, 20, 80, 320 min...). */
const SAFETY_NET_AGE_FACTOR = 3;
/** The longest wait is at least this (a short wave's cap), else a quarter of the wave's timeout. */
const SAFETY_NET_MIN_CAP_SECONDS = 900;
const SAFETY_NET_TIMEOUT_SHARE = 4;

/** Safety-net waits are stretched by up to this share, differently for each wave. */
const SAFETY_NET_SPREAD = 0.2;

/**
 * The safety-net wait (whole seconds, ≥ 1) of a wave started at
 * `startedAtMs`, at `nowMs`: `max(5 min, 3 × age)`, stretched by
 * `spread` × 20 %, at most `max(15 min, timeout / 4)`, never past the
 * deadline (rounded up, so the look that follows sees the deadline reached).
 * The spread keeps waves started together (200 releases at once) from all
 * looking in the same second, which would spend the account's DescribeJob
 * rate (about 10 per second) at once.
 */
export function safetyNetSeconds(
  startedAtMs: number,
  nowMs: number,
  definition: Pick<WaveDefinition, 'timeoutMinutes'>,
  spread = 0,
  deadlineMs?: number,
): number {
  const timeoutSeconds = definition.timeoutMinutes * 60;
  const ageSeconds = Math.max(0, (nowMs - startedAtMs) / 1000);
  const cap = Math.max(SAFETY_NET_MIN_CAP_SECONDS, Math.floor(timeoutSeconds / SAFETY_NET_TIMEOUT_SHARE));
  const grown = Math.ceil(
    Math.max(SAFETY_NET_MIN_SECONDS, ageSeconds * SAFETY_NET_AGE_FACTOR) * (1 + SAFETY_NET_SPREAD * spread),
  );
  const untilDeadline = Math.ceil(((deadlineMs ?? startedAtMs + timeoutSeconds * 1000) - nowMs) / 1000);
  return Math.max(1, Math.min(grown, cap, untilDeadline));
}

/** A fixed number in [0, 1) for a wave's job id (FNV-1a): its own spread, the same on every look and retry. */
function spreadOf(jobId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < jobId.length; i++) hash = Math.imul(hash ^ jobId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) / 2 ** 32;
}

/**
 * {@link safetyNetSeconds} of a wave started at `startedAt`, at `now`
 * (ISO-8601 times, as the workflow carries them), spread by its job id.
 */
export function safetyNetSecondsFor(
  wave: { startedAt: string; jobId?: string | undefined; deadlineMs?: number | undefined },
  now: string,
  definition: Pick<WaveDefinition, 'timeoutMinutes'>,
): number {
  const spread = wave.jobId === undefined ? 0 : spreadOf(wave.jobId);
  return safetyNetSeconds(Date.parse(wave.startedAt), Date.parse(now), definition, spread, wave.deadlineMs);
}

/**
 * How long CheckWave lets a running wave sleep (`poll.safetyNetSeconds`):
 * the safety net while nothing has failed; the adaptive poll once some
 * things failed, because the failure threshold may then be crossed by
 * executions whose events arrive while the workflow is busy, and IoT's
 * own abort criteria would otherwise get there first.
 */
export function sleepSeconds(
  wave: { startedAt: string; jobId?: string | undefined; deadlineMs?: number | undefined },
  now: string,
  definition: Pick<WaveDefinition, 'timeoutMinutes'>,
  seen: { failed: number; adaptiveSeconds: number },
): number {
  const net = safetyNetSecondsFor(wave, now, definition);
  return seen.failed > 0 ? Math.min(net, seen.adaptiveSeconds) : net;
}

/** Job statuses that end a wave's watch: CheckWave decides at once. */
const FINAL_JOB_STATUSES = new Set(['COMPLETED', 'CANCELED', 'DELETION_IN_PROGRESS', 'DELETED']);

/**
 * Why the recorded state of a running wave must wake its workflow now, or
 * undefined: its job ended, or its failures reached the threshold. Progress
 * short of that does not wake it (each wake costs state transitions and a
 * DescribeJob); the safety net looks at it in time. A halted job's end is
 * no reason: the wave waits for its running devices, on its adaptive poll.
 */
export function wakeReason(
  wave: Pick<
    WaveState,
    'status' | 'counts' | 'jobStatus' | 'expectedThings' | 'jobId' | 'followUpJobIds' | 'halt'
  >,
  policy: Pick<WaveDefinition, 'failureThresholdPercent' | 'minExecutedThings'>,
): string | undefined {
  if (wave.status !== 'IN_PROGRESS') return undefined;
  const halted = haltStanding(wave) === 'halted';
  if (!halted && wave.jobStatus !== undefined && FINAL_JOB_STATUSES.has(wave.jobStatus)) {
    return `job ${wave.jobStatus}`;
  }
  if (!wave.counts) return undefined;
  const crossed = failureThresholdReason(summarizeProgress(wave.counts, wave.expectedThings), policy);
  return crossed ? 'failure threshold reached' : undefined;
}

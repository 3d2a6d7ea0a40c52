/**
 * How one DescribeJob observation changes a running wave: the rule every
 * release store applies, written once so the stores cannot drift.
 */
import { ConflictError } from './errors.js';
import type { WaveClock, WaveState, WaveWindow } from './release.js';
import type { WaveObservation } from './release-store.js';
import { countsEqual, summarizeProgress } from './wave-progress.js';

/**
 * The wave after `observation` (polled at `polledAt`, ISO), or `undefined`
 * when it changes nothing: the same counters and job status, or an
 * observation older than the stored one (a slow concurrent poll must not
 * overwrite a newer one).
 * @throws ConflictError when the wave is neither IN_PROGRESS nor BAKING
 */
export function observedWave<W extends WaveState>(
  current: W,
  observation: WaveObservation,
  polledAt: string,
  { releaseId, waveNumber }: { releaseId: string; waveNumber: number },
): W | undefined {
  if (current.status !== 'IN_PROGRESS' && current.status !== 'BAKING') {
    throw new ConflictError(
      `Wave ${waveNumber} of release ${releaseId} is ${current.status}, not running.`,
      releaseId,
    );
  }
  const same = current.counts !== undefined && countsEqual(current.counts, observation.counts);
  const window = observation.window ?? current.window;
  const clock = observation.clock ?? current.clock;
  if (
    same &&
    current.jobStatus === observation.jobStatus &&
    sameWindow(current.window, window) &&
    sameClock(current.clock, clock)
  )
    return undefined;
  if (current.lastPolledAt !== undefined && current.lastPolledAt > polledAt) return undefined;
  const progress = summarizeProgress(observation.counts, current.expectedThings);
  return {
    ...current,
    version: current.version + 1,
    updatedAt: polledAt,
    counts: { ...observation.counts },
    jobStatus: observation.jobStatus,
    succeededPercent: progress.succeededPercent,
    failedPercent: progress.failedPercent,
    lastPolledAt: polledAt,
    ...(window && { window: { ...window } }),
    ...(clock && { clock: { ...clock } }),
  };
}

function sameClock(a: WaveClock | undefined, b: WaveClock | undefined): boolean {
  return a?.from === b?.from && a?.timeoutAt === b?.timeoutAt;
}

function sameWindow(a: WaveWindow | undefined, b: WaveWindow | undefined): boolean {
  return a?.open === b?.open && a?.opensAt === b?.opensAt && a?.closesAt === b?.closesAt;
}

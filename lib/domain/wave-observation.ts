/**
 * How one DescribeJob observation changes a running wave: the rule every
 * release store applies, written once so the stores cannot drift.
 */
import { ConflictError } from './errors.js';
import type { WaveState } from './release.js';
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
  if (same && current.jobStatus === observation.jobStatus) return undefined;
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
  };
}

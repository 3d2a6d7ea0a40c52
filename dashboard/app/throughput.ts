/**
 * Throughput and an estimated finish, from the progress samples the
 * release's history keeps (`WAVE_PROGRESS`: the job's counters at a time):
 * devices that reached an end per minute over the last samples of the
 * running wave, and the time its remaining things take at that pace.
 */
import type { HistoryEventView, JobProcessCounts, WaveView } from './types.js';

/** How many of the latest samples the rate is taken over. */
const window = 6;

export interface Throughput {
  waveNumber: number;
  /** Devices per minute; undefined until two samples apart in time exist. */
  perMinute: number | undefined;
  /** Things the wave has still to finish. */
  remaining: number;
  /** When the wave would finish at that pace (ms since the epoch). */
  finishAt: number | undefined;
  /**
   * The last sample's time: the ETA counts from it, in the stack's own time
   * (a local stack's clock may run apart from the browser's).
   */
  sampledAt: number | undefined;
}

function ended(c: JobProcessCounts): number {
  return (
    c.numberOfSucceededThings +
    c.numberOfFailedThings +
    c.numberOfRejectedThings +
    c.numberOfTimedOutThings +
    c.numberOfCanceledThings +
    c.numberOfRemovedThings
  );
}

function counted(c: JobProcessCounts): number {
  return ended(c) + c.numberOfQueuedThings + c.numberOfInProgressThings;
}

/** The running wave's throughput, or undefined when no wave runs. */
export function throughputOf(
  waves: readonly WaveView[],
  history: readonly HistoryEventView[],
): Throughput | undefined {
  const wave = waves.find((w) => w.status === 'IN_PROGRESS');
  if (!wave) return undefined;
  const samples = history
    .filter((e) => e.waveNumber === wave.waveNumber && e.counts)
    .map((e) => ({ at: Date.parse(e.at), done: ended(e.counts as JobProcessCounts) }));
  if (wave.counts && wave.lastPolledAt)
    samples.push({ at: Date.parse(wave.lastPolledAt), done: ended(wave.counts) });
  const recent = samples.slice(-window);
  const first = recent[0];
  const last = recent[recent.length - 1];
  const total = Math.max(wave.expectedThings ?? 0, wave.counts ? counted(wave.counts) : 0);
  const done = wave.counts ? ended(wave.counts) : 0;
  const remaining = Math.max(0, total - done);
  let perMinute: number | undefined;
  if (first && last && last.at > first.at)
    perMinute = ((last.done - first.done) / (last.at - first.at)) * 60_000;
  const finishAt =
    perMinute && perMinute > 0 && last ? last.at + (remaining / perMinute) * 60_000 : undefined;
  return { waveNumber: wave.waveNumber, perMinute, remaining, finishAt, sampledAt: last?.at };
}

/**
 * What fleetwave does with one AWS IoT jobs event, as the IoT topic rules of
 * `serverless.yml` deliver it (`SELECT *, topic() AS topic`: the event's
 * own payload plus the MQTT topic it was published on).
 *
 * - Job events (`$aws/events/job/<jobId>/completed|canceled|deletion_in_progress|...`):
 *   a `completed` event carries the final counters (`jobProcessDetails`),
 *   which are recorded; every job end wakes the wave, whose CheckWave then
 *   describes the job and decides.
 * - Job-execution events (`$aws/events/jobExecution/<jobId>/...`, the rule
 *   keeps FAILED, REJECTED and TIMED_OUT only): an execution event says
 *   nothing about the job's counters, and they are not guessed from it (nor
 *   described here: one DescribeJob per failure would be a throttling storm).
 *   The first failure wakes the wave, whose CheckWave describes the job and
 *   judges the threshold; from then on the wave sleeps only as long as its
 *   adaptive poll, and a later failure wakes it only once it has slept
 *   {@link EXECUTION_EVENT_WAKE_WINDOW_MS}.
 *
 * Events come at least once and in no fixed order: a record never goes
 * backwards (an older observation or lower final counters are not written),
 * and the wave's token is take-once, so duplicates wake it once. An event
 * of a job that is not a running wave's own is logged and ignored.
 */
import * as z from 'zod';
import { NotFoundError } from '../domain/errors.js';
import type { ReleaseWithWaves } from '../domain/release.js';
import { followUpJobId, lastWaveJobId } from '../domain/wave-halt.js';
import { waveJobId } from '../domain/wave-job.js';
import {
  countsFromJobProcessDetails,
  type JobProcessCounts,
  jobProcessCounterNames,
  summarizeProgress,
} from '../domain/wave-progress.js';
import { type WaveWakeDeps, wakeWave } from './wave-wake.js';

/** A failure this soon after a wave with failures began to sleep does not wake it: its adaptive poll is near. */
const EXECUTION_EVENT_WAKE_WINDOW_MS = 15_000;

const counter = z.number().int().min(0).optional();

/** The event the IoT rule hands the Lambda; unknown members are ignored. */
export const jobEventSchema = z.object({
  eventType: z.enum(['JOB', 'JOB_EXECUTION']),
  operation: z.string().min(1),
  jobId: z.string().min(1),
  status: z.string().optional(),
  /** Epoch seconds. */
  timestamp: z.number(),
  /** Epoch milliseconds (job events). */
  lastUpdatedAt: z.number().optional(),
  thingArn: z.string().optional(),
  jobProcessDetails: z
    .object({
      numberOfCanceledThings: counter,
      numberOfRejectedThings: counter,
      numberOfFailedThings: counter,
      numberOfRemovedThings: counter,
      numberOfSucceededThings: counter,
      numberOfTimedOutThings: counter,
    })
    .optional(),
  topic: z.string().optional(),
});
export type JobEvent = z.infer<typeof jobEventSchema>;

/** Execution statuses that can move a wave towards its failure threshold. */
const FAILING_EXECUTION_STATUSES = ['FAILED', 'REJECTED', 'TIMED_OUT'] as const;

/** Job operations that end a job: the wave must be judged now. */
const JOB_ENDINGS = new Set(['completed', 'canceled', 'deletion_in_progress', 'deleted']);

export type JobEventOutcome =
  | { outcome: 'ignored'; why: string }
  | { outcome: 'handled'; releaseId: string; waveNumber: number; recorded: boolean; woken: boolean };

/** The release and wave a job id names (`<releaseId>-w<nn>`, or a follow-up's `-r<k>` after it), if it has that shape. */
export function waveOfJobId(jobId: string): { releaseId: string; waveNumber: number } | undefined {
  const match = /^(.+)-w(\d{2})(?:-r(\d{1,2}))?$/.exec(jobId);
  if (!match?.[1] || !match[2]) return undefined;
  const waveNumber = Number(match[2]);
  try {
    const named =
      match[3] === undefined
        ? waveJobId(match[1], waveNumber)
        : followUpJobId(match[1], waveNumber, Number(match[3]));
    return named === jobId ? { releaseId: match[1], waveNumber } : undefined;
  } catch {
    return undefined;
  }
}

/** The terminal counters (all but queued and in progress), which only grow: a snapshot lowering one of them is stale. */
const FINAL_COUNTERS = jobProcessCounterNames.filter(
  (name) => name !== 'numberOfQueuedThings' && name !== 'numberOfInProgressThings',
);

function lowersACounter(stored: JobProcessCounts | undefined, incoming: JobProcessCounts): boolean {
  return stored !== undefined && FINAL_COUNTERS.some((n) => incoming[n] < stored[n]);
}

/** The event's time, epoch ms: the job's own last update when the event has it. */
function eventTimeMs(event: JobEvent): number {
  return Math.max(event.timestamp * 1000, event.lastUpdatedAt ?? 0);
}

/** Handles one job or job-execution event. @throws ThrottledError, UpstreamError (the invocation is retried) */
export async function handleJobEvent(deps: WaveWakeDeps, event: JobEvent): Promise<JobEventOutcome> {
  const named = waveOfJobId(event.jobId);
  if (!named) return { outcome: 'ignored', why: `job ${event.jobId} is not a fleetwave wave's job` };
  const { releaseId, waveNumber } = named;
  let loaded: ReleaseWithWaves;
  try {
    loaded = await deps.store.getRelease(releaseId);
  } catch (error) {
    if (error instanceof NotFoundError)
      return { outcome: 'ignored', why: `release ${releaseId} does not exist` };
    throw error;
  }
  const definition = loaded.release.waves[waveNumber - 1];
  const wave = loaded.waves[waveNumber - 1];
  // Only the wave's running job (its last follow-up, if any) speaks for it.
  if (!definition || !wave || lastWaveJobId(wave) !== event.jobId) {
    return {
      outcome: 'ignored',
      why: `job ${event.jobId} is not the job of wave ${waveNumber} of ${releaseId}`,
    };
  }
  if (wave.status !== 'IN_PROGRESS') {
    return { outcome: 'ignored', why: `wave ${waveNumber} of ${releaseId} is ${wave.status}` };
  }
  const at = new Date(eventTimeMs(event)).toISOString();
  const handled = (recorded: boolean, woken: boolean): JobEventOutcome => ({
    outcome: 'handled',
    releaseId,
    waveNumber,
    recorded,
    woken,
  });

  if (event.eventType === 'JOB') {
    if (!JOB_ENDINGS.has(event.operation)) return handled(false, false);
    let recorded = false;
    // A wave of several jobs counts them all together: CheckWave describes each.
    if (event.operation === 'completed' && event.jobProcessDetails && !wave.followUpJobIds?.length) {
      // A completed job has no queued or running executions left: its counters are final.
      const counts = countsFromJobProcessDetails(event.jobProcessDetails);
      if (!lowersACounter(wave.counts, counts)) {
        const result = await deps.store.recordWaveProgress(releaseId, waveNumber, {
          counts,
          jobStatus: 'COMPLETED',
          polledAt: at,
        });
        recorded = result.changed;
      }
    }
    const woken = await wakeWave(deps, releaseId, waveNumber, { reason: `job ${event.operation}`, at });
    return handled(recorded, woken);
  }

  if (!(FAILING_EXECUTION_STATUSES as readonly string[]).includes(event.status ?? '')) {
    return handled(false, false);
  }
  // A wave that already had failures sleeps only as long as its adaptive poll: a failure soon after
  // it began to sleep is left to that poll, so a burst of failures is one DescribeJob, not one each.
  const failedBefore = wave.counts ? summarizeProgress(wave.counts, wave.expectedThings).failed : 0;
  const sleepingSince = wave.waitingSince === undefined ? undefined : Date.parse(wave.waitingSince);
  if (
    failedBefore > 0 &&
    sleepingSince !== undefined &&
    eventTimeMs(event) - sleepingSince < EXECUTION_EVENT_WAKE_WINDOW_MS
  ) {
    return handled(false, false);
  }
  const woken = await wakeWave(deps, releaseId, waveNumber, {
    reason: `execution ${event.status} on ${event.thingArn ?? 'a thing'}`,
    at,
  });
  return handled(false, woken);
}

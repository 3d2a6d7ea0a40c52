/**
 * The rules of a halted wave (a pause with `haltRollout`): its job is
 * canceled without force, so devices already running finish and those still
 * queued are never notified; once resumed, the wave goes on with a
 * follow-up job over exactly its things that never started. Pure: the
 * workflow lists executions and describes jobs, these rules decide.
 *
 * A wave's jobs are its first job and its follow-ups (`waveJobIds`); every
 * job but the last was stopped by a halt. The wave's counters are those of
 * all its jobs together, except that an earlier job's CANCELED executions
 * (queued when it was halted) are left out: those things are the next job's.
 */
import { ConflictError } from './errors.js';
import type { WaveState } from './release.js';
import { HALTED_JOB_STATUS } from './wave-evaluation.js';
import { waveJobId, waveJobIds } from './wave-job.js';
import { type JobProcessCounts, jobProcessCounterNames, ZERO_COUNTS } from './wave-progress.js';

/**
 * Follow-up jobs a wave may have: `-r<k>` with k ≤ 99 keeps the job id of a
 * 56-character release id within IoT's 64 characters.
 */
export const MAX_FOLLOW_UP_JOBS = 99;

/** `CancelJob`'s `reasonCode` for a halt (`[\p{Upper}\p{Digit}_]+`). */
export const HALT_REASON_CODE = 'FLEETWAVE_ROLLOUT_HALTED';

/** The k-th follow-up job of a wave: `<releaseId>-w<nn>-r<k>` (k from 1 to {@link MAX_FOLLOW_UP_JOBS}). */
export function followUpJobId(releaseId: string, waveNumber: number, k: number): string {
  if (!Number.isInteger(k) || k < 1 || k > MAX_FOLLOW_UP_JOBS) {
    throw new RangeError(`follow-up number must be an integer from 1 to ${MAX_FOLLOW_UP_JOBS}, got ${k}`);
  }
  return `${waveJobId(releaseId, waveNumber)}-r${k}`;
}

/** The static thing group a follow-up job targets: `fleetwave-<followUpJobId>`. */
export function followUpGroupName(followUpId: string): string {
  return `fleetwave-${followUpId}`;
}

/** The job of a wave that runs now (or ran last): its last follow-up, else its first job. */
export function lastWaveJobId(wave: Pick<WaveState, 'jobId' | 'followUpJobIds'>): string | undefined {
  return waveJobIds(wave).at(-1);
}

/** An execution of a wave's job, as ListJobExecutionsForJob gives it. */
export interface ThingExecution {
  readonly thingName: string;
  readonly status: string;
}

/**
 * The wave's things that never started, sorted: `things` minus every thing
 * with an execution of one of the wave's jobs in any status but CANCELED.
 * A halt never forces, so a CANCELED execution was canceled while QUEUED:
 * its device was never notified. What is left is the things canceled while
 * queued and those IoT never gave an execution.
 */
export function thingsNeverStarted(things: Iterable<string>, executions: Iterable<ThingExecution>): string[] {
  const started = new Set<string>();
  for (const e of executions) if (e.status !== 'CANCELED') started.add(e.thingName);
  return [...new Set(things)].filter((thing) => !started.has(thing)).sort();
}

/**
 * The counters of a wave over all its jobs (in order): every counter
 * summed, the CANCELED only of the last job (an earlier job's canceled
 * things were handed on to the next).
 */
export function waveCounts(perJob: readonly JobProcessCounts[]): JobProcessCounts {
  const total = { ...ZERO_COUNTS };
  perJob.forEach((counts, i) => {
    for (const name of jobProcessCounterNames) {
      if (name === 'numberOfCanceledThings' && i < perJob.length - 1) continue;
      total[name] += counts[name];
    }
  });
  return total;
}

/** Where a wave stands with respect to halts. */
export type HaltStanding =
  /** No halt is in the way: the last job is judged by its own status. */
  | 'none'
  /** The last job was halted: the wave waits for its running devices, then for its follow-up. */
  | 'halted'
  /** The last job was halted and, resumed, the wave had nothing left to do: its job counts as completed. */
  | 'nothing-left';

/**
 * How the wave's last job is to be read. `haltedJobId` is the job the
 * release's pause halted (still asked for, not yet resumed), if any.
 */
export function haltStanding(
  wave: Pick<WaveState, 'jobId' | 'followUpJobIds' | 'halt'>,
  haltedJobId?: string | undefined,
): HaltStanding {
  const last = lastWaveJobId(wave);
  if (last === undefined) return 'none';
  if (wave.halt?.jobId === last) return wave.halt.nothingLeft ? 'nothing-left' : 'halted';
  return haltedJobId === last ? 'halted' : 'none';
}

/** True when the wave's last job was halted and no follow-up has been decided for it. */
export function awaitsFollowUp(wave: Pick<WaveState, 'jobId' | 'followUpJobIds' | 'halt'>): boolean {
  return haltStanding(wave) === 'halted';
}

/**
 * The job status the wave's rules judge: a halted job that is CANCELED is
 * `HALTED` (not a failure), and the halted job of a wave with nothing left
 * after it `COMPLETED`. A halted job still running (its CancelJob not
 * through yet) or that completed first is judged as it is.
 */
export function judgedJobStatus(standing: HaltStanding, jobStatus: string, reasonCode?: string): string {
  // Only a cancel with the halt's own reasonCode is a halt: IoT's abort, or a cancel made
  // outside fleetwave, that got to the job first is judged as what it is.
  if (jobStatus !== 'CANCELED' || reasonCode !== HALT_REASON_CODE) return jobStatus;
  if (standing === 'nothing-left') return 'COMPLETED';
  if (standing === 'halted') return HALTED_JOB_STATUS;
  return jobStatus;
}

/** When the wave's timeout counts from: its start, or when it went on after its last halt. */
export function waveClockStart(wave: Pick<WaveState, 'startedAt' | 'halt'>): string | undefined {
  return wave.halt?.resumedAt ?? wave.halt?.runningSince ?? wave.startedAt;
}

/** A change of a wave's halt record: the halt seen, or the wave going on after it. */
export type WaveHaltChange =
  | { readonly halted: { readonly jobId: string; readonly at: string } }
  | { readonly resumed: { readonly followUpJobId?: string | undefined; readonly at: string } };

/**
 * The wave after `change`, or undefined when it is in place already (a
 * retry). A halt is recorded on an IN_PROGRESS wave's last job; going on
 * after it appends the follow-up job (or records that nothing is left).
 * @throws ConflictError when the wave is not IN_PROGRESS, or the change is not the wave's own
 */
export function withWaveHalt(current: WaveState, change: WaveHaltChange): WaveState | undefined {
  const where = `Wave ${current.waveNumber} of release ${current.releaseId}`;
  if (current.status !== 'IN_PROGRESS') {
    throw new ConflictError(
      `${where} is ${current.status}; only a running wave is halted.`,
      current.releaseId,
    );
  }
  const last = lastWaveJobId(current);
  if ('halted' in change) {
    const { jobId, at } = change.halted;
    if (current.halt?.jobId === jobId) return undefined;
    if (last !== jobId) {
      throw new ConflictError(`${where} runs job ${last ?? '(none)'}, not ${jobId}.`, current.releaseId);
    }
    // The halted job's clock goes on from when it began: the wave's start, or the end of the last halt.
    const since = current.halt?.resumedAt;
    return {
      ...current,
      version: current.version + 1,
      updatedAt: at,
      halt: { jobId, haltedAt: at, ...(since !== undefined && { runningSince: since }) },
    };
  }
  const { followUpJobId: next, at } = change.resumed;
  const { halt } = current;
  if (next !== undefined && current.followUpJobIds?.includes(next)) return undefined;
  if (halt?.resumedAt !== undefined && next === undefined) return undefined;
  if (!halt || halt.jobId !== last || halt.resumedAt !== undefined) {
    throw new ConflictError(`${where} has no halted job to go on from.`, current.releaseId);
  }
  return {
    ...current,
    version: current.version + 1,
    updatedAt: at,
    halt: { ...halt, resumedAt: at, ...(next === undefined && { nothingLeft: true }) },
    ...(next !== undefined && { followUpJobIds: [...(current.followUpJobIds ?? []), next] }),
  };
}

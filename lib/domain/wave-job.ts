/**
 * How a wave becomes an AWS IoT job: its deterministic job id and the
 * CreateJob settings it adds to the job template's. The job id is derived
 * from the release id and the wave number only, so a retried StartWave task
 * calls CreateJob with the same id and finds its own job instead of making
 * a second one.
 */
import type { AbortConfig, CreateJobBody } from './iot-job-settings.js';
import { MAX_WAVES, type WaveDefinition } from './release-request.js';

/** `w01`…`w50`: the wave label used in job ids, group names and sort keys. */
export function waveLabel(waveNumber: number): string {
  if (!Number.isInteger(waveNumber) || waveNumber < 1 || waveNumber > MAX_WAVES) {
    throw new RangeError(`wave number must be an integer from 1 to ${MAX_WAVES}, got ${waveNumber}`);
  }
  return `w${String(waveNumber).padStart(2, '0')}`;
}

/** The IoT job id of a wave: `<releaseId>-w<nn>` (at most 63 characters for a valid release id). */
export function waveJobId(releaseId: string, waveNumber: number): string {
  return `${releaseId}-${waveLabel(waveNumber)}`;
}

/** Every IoT job of a wave, in the order they were created: its job, then any follow-up jobs. */
export function waveJobIds(wave: {
  jobId?: string | undefined;
  followUpJobIds?: readonly string[] | undefined;
}): string[] {
  return wave.jobId === undefined ? [] : [wave.jobId, ...(wave.followUpJobIds ?? [])];
}

/** The CreateJob members a wave sets on top of its job template. */
export type WaveJobOverrides = Pick<
  CreateJobBody,
  'jobExecutionsRolloutConfig' | 'timeoutConfig' | 'jobExecutionsRetryConfig'
> & { abortConfig: AbortConfig };

/**
 * IoT needs a positive share to abort on: our 0 ("stop at the first
 * failure") becomes IoT's smallest step, 0.01 %. fleetwave's own evaluation
 * still stops the wave at the first failure whatever the fleet size.
 */
const MIN_IOT_THRESHOLD = 0.01;

/**
 * The CreateJob settings for a wave: an `abortConfig` criterion built from the
 * failure threshold (failure type `ALL`, action `CANCEL`, so IoT stops
 * queueing by itself once failures reach the threshold), merged with the
 * wave's own overrides. A criterion of the wave's own `abortConfig` with
 * the same failure type replaces the generated one; others are added.
 * Settings the wave does not set are left out so the template's apply.
 */
export function buildWaveJobOverrides(wave: WaveDefinition): WaveJobOverrides {
  const generated: AbortConfig['criteriaList'][number] = {
    failureType: 'ALL',
    action: 'CANCEL',
    thresholdPercentage: Math.max(wave.failureThresholdPercent, MIN_IOT_THRESHOLD),
    minNumberOfExecutedThings: wave.minExecutedThings,
  };
  const own = wave.abortConfig?.criteriaList ?? [];
  const criteriaList = own.some((c) => c.failureType === generated.failureType) ? own : [generated, ...own];
  return {
    abortConfig: { criteriaList },
    ...(wave.jobExecutionsRolloutConfig && { jobExecutionsRolloutConfig: wave.jobExecutionsRolloutConfig }),
    ...(wave.timeoutConfig && { timeoutConfig: wave.timeoutConfig }),
    ...(wave.jobExecutionsRetryConfig && { jobExecutionsRetryConfig: wave.jobExecutionsRetryConfig }),
  };
}

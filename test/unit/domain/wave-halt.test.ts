import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../../lib/domain/errors.js';
import { resourceIdSchema } from '../../../lib/domain/iot-job-settings.js';
import type { WaveState } from '../../../lib/domain/release.js';
import { RELEASE_ID_MAX_LENGTH, thingNameSchema } from '../../../lib/domain/release-request.js';
import { evaluateWave, HALTED_JOB_STATUS } from '../../../lib/domain/wave-evaluation.js';
import {
  awaitsFollowUp,
  followUpGroupName,
  followUpJobId,
  HALT_REASON_CODE,
  haltStanding,
  judgedJobStatus,
  MAX_FOLLOW_UP_JOBS,
  thingsNeverStarted,
  waveClockStart,
  waveCounts,
  withWaveHalt,
} from '../../../lib/domain/wave-halt.js';
import { type JobProcessCounts, ZERO_COUNTS } from '../../../lib/domain/wave-progress.js';

const counts = (c: Partial<JobProcessCounts>): JobProcessCounts => ({ ...ZERO_COUNTS, ...c });

const running: WaveState = {
  releaseId: 'fw-2-4-1',
  waveNumber: 1,
  status: 'IN_PROGRESS',
  version: 3,
  jobId: 'fw-2-4-1-w01',
  startedAt: '2026-01-01T00:00:00.000Z',
};

describe('follow-up job ids', () => {
  it('are <releaseId>-w<nn>-r<k>, their group fleetwave-<jobId>', () => {
    expect(followUpJobId('fw-2-4-1', 1, 1)).toBe('fw-2-4-1-w01-r1');
    expect(followUpJobId('fw-2-4-1', 12, 99)).toBe('fw-2-4-1-w12-r99');
    expect(followUpGroupName('fw-2-4-1-w01-r1')).toBe('fleetwave-fw-2-4-1-w01-r1');
  });

  it('stay valid IoT job ids (64 characters) and thing-group names for the longest release id', () => {
    const id = followUpJobId('x'.repeat(RELEASE_ID_MAX_LENGTH), 50, MAX_FOLLOW_UP_JOBS);
    expect(id).toHaveLength(64);
    expect(resourceIdSchema.safeParse(id).success).toBe(true);
    expect(thingNameSchema.safeParse(followUpGroupName(id)).success).toBe(true);
  });

  it('refuse a 100th follow-up and a follow-up number that is not a positive integer', () => {
    expect(() => followUpJobId('fw', 1, MAX_FOLLOW_UP_JOBS + 1)).toThrow(RangeError);
    expect(() => followUpJobId('fw', 1, 0)).toThrow(RangeError);
    expect(() => followUpJobId('fw', 1, 1.5)).toThrow(RangeError);
  });
});

describe('thingsNeverStarted', () => {
  it('keeps the things canceled while queued and those never given an execution, nothing else', () => {
    const left = thingsNeverStarted(
      ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'],
      [
        { thingName: 'a', status: 'SUCCEEDED' },
        { thingName: 'b', status: 'FAILED' },
        { thingName: 'c', status: 'IN_PROGRESS' },
        { thingName: 'd', status: 'TIMED_OUT' },
        { thingName: 'e', status: 'REJECTED' },
        { thingName: 'f', status: 'REMOVED' },
        { thingName: 'g', status: 'CANCELED' },
      ],
    );
    expect(left).toEqual(['g', 'h', 'i']);
  });

  it('counts a thing as started when any job of the wave ran it, even if another canceled it', () => {
    const left = thingsNeverStarted(
      ['b', 'a', 'a'],
      [
        { thingName: 'a', status: 'CANCELED' },
        { thingName: 'a', status: 'SUCCEEDED' },
        { thingName: 'b', status: 'CANCELED' },
      ],
    );
    expect(left).toEqual(['b']);
  });
});

describe('waveCounts', () => {
  it('sums every counter of every job, the canceled only of the last job', () => {
    const halted = counts({ numberOfSucceededThings: 3, numberOfFailedThings: 1, numberOfCanceledThings: 6 });
    const followUp = counts({
      numberOfSucceededThings: 5,
      numberOfInProgressThings: 1,
      numberOfCanceledThings: 0,
    });
    expect(waveCounts([halted, followUp])).toEqual(
      counts({ numberOfSucceededThings: 8, numberOfFailedThings: 1, numberOfInProgressThings: 1 }),
    );
    expect(waveCounts([halted])).toEqual(halted);
    expect(waveCounts([])).toEqual(ZERO_COUNTS);
  });

  it('judges the wave over all its jobs: a success threshold met by both jobs together', () => {
    const total = waveCounts([
      counts({ numberOfSucceededThings: 4, numberOfCanceledThings: 6 }),
      counts({ numberOfSucceededThings: 6 }),
    ]);
    const decision = evaluateWave({
      counts: total,
      jobStatus: 'COMPLETED',
      policy: {
        successThresholdPercent: 100,
        failureThresholdPercent: 10,
        minExecutedThings: 1,
        timeoutMinutes: 60,
      },
      expectedThings: 10,
      startedAt: 0,
      now: 1,
    });
    expect(decision.decision).toBe('succeeded');
  });
});

describe('a halted wave', () => {
  const policy = {
    successThresholdPercent: 100,
    failureThresholdPercent: 10,
    minExecutedThings: 1,
    timeoutMinutes: 60,
  };

  it('is not failed by its canceled job: it waits for its running devices, then is halted', () => {
    const base = { policy, expectedThings: 10, startedAt: 0, now: 60_000 };
    const stillRunning = evaluateWave({
      ...base,
      counts: counts({ numberOfSucceededThings: 2, numberOfInProgressThings: 2, numberOfCanceledThings: 6 }),
      jobStatus: HALTED_JOB_STATUS,
    });
    expect(stillRunning.decision).toBe('continue');
    const ended = evaluateWave({
      ...base,
      counts: counts({ numberOfSucceededThings: 4, numberOfCanceledThings: 6 }),
      jobStatus: HALTED_JOB_STATUS,
    });
    expect(ended.decision).toBe('halted');
    // The same counters on a job canceled outside fleetwave fail the wave.
    expect(
      evaluateWave({
        ...base,
        counts: counts({ numberOfSucceededThings: 4, numberOfCanceledThings: 6 }),
        jobStatus: 'CANCELED',
      }).decision,
    ).toBe('failed');
  });

  it('still fails on its failure threshold, judged on what ran', () => {
    const decision = evaluateWave({
      policy,
      expectedThings: 10,
      startedAt: 0,
      now: 1,
      counts: counts({ numberOfSucceededThings: 2, numberOfFailedThings: 2, numberOfCanceledThings: 6 }),
      jobStatus: HALTED_JOB_STATUS,
    });
    expect(decision).toMatchObject({ decision: 'failed', cause: 'FAILURE_THRESHOLD' });
  });

  it('reads its last job as halted from the pause, then from its own record', () => {
    expect(haltStanding(running)).toBe('none');
    expect(haltStanding(running, 'fw-2-4-1-w01')).toBe('halted');
    expect(haltStanding(running, 'another-job')).toBe('none');
    const halted = withWaveHalt(running, {
      halted: { jobId: 'fw-2-4-1-w01', at: '2026-01-01T00:05:00.000Z' },
    });
    expect(halted?.halt).toEqual({ jobId: 'fw-2-4-1-w01', haltedAt: '2026-01-01T00:05:00.000Z' });
    expect(halted && haltStanding(halted)).toBe('halted');
    expect(halted && awaitsFollowUp(halted)).toBe(true);
    expect(judgedJobStatus('halted', 'CANCELED', HALT_REASON_CODE)).toBe(HALTED_JOB_STATUS);
    expect(judgedJobStatus('halted', 'IN_PROGRESS', HALT_REASON_CODE)).toBe('IN_PROGRESS');
    expect(judgedJobStatus('halted', 'COMPLETED')).toBe('COMPLETED');
    expect(judgedJobStatus('nothing-left', 'CANCELED', HALT_REASON_CODE)).toBe('COMPLETED');
    expect(judgedJobStatus('none', 'CANCELED', HALT_REASON_CODE)).toBe('CANCELED');
    // IoT's abort (or a cancel outside fleetwave) that got there first is no halt: the wave fails.
    expect(judgedJobStatus('halted', 'CANCELED', 'FLEETWAVE_WAVE_FAILED')).toBe('CANCELED');
    expect(judgedJobStatus('halted', 'CANCELED')).toBe('CANCELED');
  });

  it('goes on with its follow-up job, once, and its clock runs from then', () => {
    const halted = withWaveHalt(running, {
      halted: { jobId: 'fw-2-4-1-w01', at: '2026-01-01T00:05:00.000Z' },
    }) as WaveState;
    expect(
      withWaveHalt(halted, { halted: { jobId: 'fw-2-4-1-w01', at: '2026-01-01T00:06:00.000Z' } }),
    ).toBeUndefined();
    const resumed = withWaveHalt(halted, {
      resumed: { followUpJobId: 'fw-2-4-1-w01-r1', at: '2026-01-02T00:00:00.000Z' },
    }) as WaveState;
    expect(resumed.followUpJobIds).toEqual(['fw-2-4-1-w01-r1']);
    expect(haltStanding(resumed)).toBe('none');
    expect(awaitsFollowUp(resumed)).toBe(false);
    expect(waveClockStart(resumed)).toBe('2026-01-02T00:00:00.000Z');
    // A retry finds it recorded; a second halt of the follow-up keeps the clock it ran on.
    expect(
      withWaveHalt(resumed, { resumed: { followUpJobId: 'fw-2-4-1-w01-r1', at: 'later' } }),
    ).toBeUndefined();
    const again = withWaveHalt(resumed, {
      halted: { jobId: 'fw-2-4-1-w01-r1', at: '2026-01-02T01:00:00.000Z' },
    });
    expect(again && waveClockStart(again)).toBe('2026-01-02T00:00:00.000Z');
  });

  it('records when nothing was left: its halted job then counts as completed', () => {
    const halted = withWaveHalt(running, {
      halted: { jobId: 'fw-2-4-1-w01', at: '2026-01-01T00:05:00.000Z' },
    }) as WaveState;
    const none = withWaveHalt(halted, { resumed: { at: '2026-01-02T00:00:00.000Z' } }) as WaveState;
    expect(none.halt).toMatchObject({ nothingLeft: true, resumedAt: '2026-01-02T00:00:00.000Z' });
    expect(none.followUpJobIds).toBeUndefined();
    expect(haltStanding(none)).toBe('nothing-left');
    expect(withWaveHalt(none, { resumed: { at: 'later' } })).toBeUndefined();
  });

  it('refuses a halt of a job the wave does not run, and of a wave that is not running', () => {
    expect(() => withWaveHalt(running, { halted: { jobId: 'other', at: 'now' } })).toThrow(ConflictError);
    expect(() =>
      withWaveHalt({ ...running, status: 'BAKING' }, { halted: { jobId: 'fw-2-4-1-w01', at: 'now' } }),
    ).toThrow(ConflictError);
    expect(() => withWaveHalt(running, { resumed: { followUpJobId: 'fw-2-4-1-w01-r1', at: 'now' } })).toThrow(
      ConflictError,
    );
  });
});

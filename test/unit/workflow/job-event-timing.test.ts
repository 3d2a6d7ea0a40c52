/**
 * The pure rules of event-driven waves: which job ids are wave jobs, how
 * long a wave sleeps before its safety-net look, and what recorded state
 * wakes it at once.
 */
import { describe, expect, it } from 'vitest';
import { ZERO_COUNTS } from '../../../lib/domain/wave-progress.js';
import { waveOfJobId } from '../../../lib/workflow/job-event.js';
import {
  safetyNetSeconds,
  safetyNetSecondsFor,
  sleepSeconds,
  wakeReason,
} from '../../../lib/workflow/wave-wake-timing.js';

const T0 = Date.UTC(2026, 0, 1);
const minute = 60_000;
const policy = { failureThresholdPercent: 10, minExecutedThings: 1 };

describe('waveOfJobId', () => {
  it('reads the release and wave of a wave job id', () => {
    expect(waveOfJobId('rel-2026-04-w03')).toEqual({ releaseId: 'rel-2026-04', waveNumber: 3 });
  });

  it("reads the release and wave of a halted wave's follow-up job id", () => {
    expect(waveOfJobId('rel-2026-04-w03-r1')).toEqual({ releaseId: 'rel-2026-04', waveNumber: 3 });
    expect(waveOfJobId('rel-w12-r99')).toEqual({ releaseId: 'rel', waveNumber: 12 });
  });

  it.each([
    'nightly-ota',
    'rel-w3',
    'rel-w00',
    'rel-w51',
    '-w01',
    'rel-w01-r0',
    'rel-w01-r01',
    'rel-w01-r100',
  ])('refuses %s', (jobId) => {
    expect(waveOfJobId(jobId)).toBeUndefined();
  });
});

describe('safetyNetSeconds', () => {
  const day = { timeoutMinutes: 1440 };

  it('looks 5 minutes after the job was created, then at three times the wave age', () => {
    expect(safetyNetSeconds(T0, T0, day)).toBe(300);
    expect(safetyNetSeconds(T0, T0 + 5 * minute, day)).toBe(900);
    expect(safetyNetSeconds(T0, T0 + 20 * minute, day)).toBe(3600);
  });

  it('never sleeps longer than a quarter of the timeout (at least 15 min), nor past the deadline', () => {
    expect(safetyNetSeconds(T0, T0 + 10 * 60 * minute, day)).toBe(6 * 3600);
    expect(safetyNetSeconds(T0, T0 + 20 * minute, { timeoutMinutes: 30 })).toBe(600);
    expect(safetyNetSeconds(T0, T0 + 5 * minute, { timeoutMinutes: 30 })).toBe(900);
  });

  it('stretches the wait by up to 20 % for a spread near 1, never past the cap', () => {
    expect(safetyNetSeconds(T0, T0, day, 0.5)).toBe(330);
    expect(safetyNetSeconds(T0, T0 + 10 * 60 * minute, day, 0.99)).toBe(6 * 3600);
  });

  it('keeps a week-long wave to about ten looks', () => {
    const week = { timeoutMinutes: 8 * 1440 };
    let now = T0;
    let looks = 0;
    while (now < T0 + 7 * 1440 * minute) {
      now += safetyNetSeconds(T0, now, week) * 1000;
      looks++;
    }
    expect(looks).toBeLessThanOrEqual(10);
  });
});

describe('sleepSeconds', () => {
  const at = (ms: number) => new Date(ms).toISOString();

  it('sleeps the safety net while nothing failed, the adaptive poll once something did', () => {
    const day = { timeoutMinutes: 1440 };
    const wave = { startedAt: at(T0) };
    expect(sleepSeconds(wave, at(T0 + minute), day, { failed: 0, adaptiveSeconds: 15 })).toBe(300);
    expect(sleepSeconds(wave, at(T0 + minute), day, { failed: 1, adaptiveSeconds: 15 })).toBe(15);
  });

  it('spreads waves started together over a minute of first looks', () => {
    const firstLooks = Array.from({ length: 200 }, (_, i) =>
      safetyNetSecondsFor({ startedAt: at(T0), jobId: `load-${i}-w01` }, at(T0), { timeoutMinutes: 1440 }),
    );
    expect(Math.min(...firstLooks)).toBeGreaterThanOrEqual(300);
    expect(Math.max(...firstLooks)).toBeLessThanOrEqual(360);
    expect(Math.max(...firstLooks) - Math.min(...firstLooks)).toBeGreaterThan(50);
  });
});

describe('wakeReason', () => {
  it('wakes a running wave whose job ended', () => {
    expect(wakeReason({ status: 'IN_PROGRESS', jobStatus: 'COMPLETED' }, policy)).toBe('job COMPLETED');
    expect(wakeReason({ status: 'IN_PROGRESS', jobStatus: 'CANCELED' }, policy)).toBe('job CANCELED');
  });

  it('wakes a running wave whose failures reached the threshold, not one below it', () => {
    const counts = (failed: number) => ({
      ...ZERO_COUNTS,
      numberOfFailedThings: failed,
      numberOfInProgressThings: 10 - failed,
    });
    const wave = { status: 'IN_PROGRESS' as const, jobStatus: 'IN_PROGRESS', expectedThings: 10 };
    expect(wakeReason({ ...wave, counts: counts(1) }, policy)).toBe('failure threshold reached');
    expect(wakeReason({ ...wave, counts: counts(0) }, policy)).toBeUndefined();
  });

  it('never wakes a wave that is not running', () => {
    expect(wakeReason({ status: 'BAKING', jobStatus: 'COMPLETED' }, policy)).toBeUndefined();
  });
});

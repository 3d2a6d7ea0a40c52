/**
 * The target-set rule: which executions put a thing in a retry's or a
 * rollback's set, the listings it is read from (in a fixed order a cursor
 * can point into), and where a restarted retry or rollback picks up.
 */
import { describe, expect, it } from 'vitest';
import { pendingWave, type ReleaseWithWaves, type WaveState } from '../../../lib/domain/release.js';
import { resumePoint } from '../../../lib/domain/resume-point.js';
import { targetListings, targetThings, wavesMayShareThings } from '../../../lib/domain/target-set.js';

const wave = (waveNumber: number, change: Partial<WaveState>): WaveState => ({
  ...pendingWave('src', waveNumber),
  ...change,
});

describe('targetThings', () => {
  const executions = [
    'a FAILED',
    'b SUCCEEDED',
    'c CANCELED',
    'c TIMED_OUT',
    'd REMOVED',
    'e REJECTED',
    'f IN_PROGRESS',
    'a FAILED',
  ].map((line) => {
    const [thingName = '', status = ''] = line.split(' ');
    return { thingName, status };
  });

  it('takes each thing once whose execution finished in one of the statuses, sorted', () => {
    expect(targetThings(executions, ['FAILED', 'TIMED_OUT', 'REJECTED'])).toEqual(['a', 'c', 'e']);
    expect(targetThings(executions, ['SUCCEEDED'])).toEqual(['b']);
  });

  it('never takes a thing for an execution that changed nothing on it', () => {
    expect(targetThings(executions, ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'REJECTED'])).not.toContain('d');
    expect(targetThings(executions, ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'REJECTED'])).not.toContain('f');
  });
});

describe('targetListings', () => {
  it("lists each job of each wave (a follow-up after its wave's job) in each status, in that order", () => {
    const source = {
      release: {},
      waves: [
        wave(1, { status: 'SUCCEEDED', jobId: 'src-w01', followUpJobIds: ['src-w01-r1'] }),
        wave(2, { status: 'FAILED', jobId: 'src-w02' }),
        wave(3, { status: 'CANCELED' }),
      ],
    } as unknown as ReleaseWithWaves;
    expect(targetListings(source, ['FAILED', 'REJECTED'])).toEqual([
      { jobId: 'src-w01', status: 'FAILED', mayBeMissing: false },
      { jobId: 'src-w01', status: 'REJECTED', mayBeMissing: false },
      { jobId: 'src-w01-r1', status: 'FAILED', mayBeMissing: false },
      { jobId: 'src-w01-r1', status: 'REJECTED', mayBeMissing: false },
      // The last job of a wave that ended short may have been recorded and never created.
      { jobId: 'src-w02', status: 'FAILED', mayBeMissing: true },
      { jobId: 'src-w02', status: 'REJECTED', mayBeMissing: true },
    ]);
  });
});

describe('wavesMayShareThings', () => {
  it('is true only when a release of several waves has one naming its own targets', () => {
    expect(wavesMayShareThings({ waves: [{ percentage: 10 }, { percentage: 100 }] } as never)).toBe(false);
    expect(wavesMayShareThings({ waves: [{ targets: { things: ['a'] } }] } as never)).toBe(false);
    expect(
      wavesMayShareThings({ waves: [{ targets: { things: ['a'] } }, { percentage: 100 }] } as never),
    ).toBe(true);
  });
});

describe('resumePoint of a retry or rollback', () => {
  const pending = [{ waveNumber: 1, status: 'PENDING' as const }];

  it('gathers the set again while it is not recorded complete', () => {
    expect(resumePoint({ status: 'IN_PROGRESS', currentWave: 1, targetSet: {} }, pending)).toEqual({
      step: 'gather',
    });
  });

  it('starts wave 1 once the set is recorded, and never gathers again once a wave started', () => {
    expect(
      resumePoint({ status: 'IN_PROGRESS', targetSet: { gatheredAt: '2026-01-01T00:00:00.000Z' } }, pending),
    ).toEqual({ step: 'wave', waveNumber: 1, started: false });
    expect(
      resumePoint({ status: 'IN_PROGRESS', targetSet: {} }, [{ waveNumber: 1, status: 'IN_PROGRESS' }]),
    ).toEqual({ step: 'wave', waveNumber: 1, started: true });
  });
});

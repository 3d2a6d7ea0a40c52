import { describe, expect, it } from 'vitest';
import { countedSetSize, derivedRelease } from '../../../lib/domain/derived-release.js';
import { ValidationError } from '../../../lib/domain/errors.js';
import type { Release, WaveState } from '../../../lib/domain/release.js';
import { parseReleaseRequest } from '../../../lib/domain/release-request.js';
import { waveJobIds } from '../../../lib/domain/wave-job.js';
import { ZERO_COUNTS } from '../../../lib/domain/wave-progress.js';

const original: Release = {
  ...parseReleaseRequest({
    releaseId: 'fw-2-4-1',
    jobTemplateId: 'firmware-2-4-1',
    targets: { thingGroups: ['sensors'] },
    waves: [{ percentage: 10 }, { percentage: 100 }],
    tags: [{ Key: 'team', Value: 'edge' }],
    notify: { webhookUrl: 'https://hooks.example.com/fleetwave' },
  }),
  status: 'FAILED',
  version: 9,
  requestHash: 'h',
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T11:00:00.000Z',
};

function wave(waveNumber: number, counts: Partial<typeof ZERO_COUNTS>): WaveState {
  return {
    releaseId: 'fw-2-4-1',
    waveNumber,
    status: 'FAILED',
    version: 3,
    counts: { ...ZERO_COUNTS, ...counts },
  };
}

const NIGHTLY = { startTime: 'cron(0 2 * * ? *)', durationInMinutes: 120 };
const WEEKEND = { startTime: 'cron(0 3 ? * SAT *)', durationInMinutes: 240 };

/** The original, scheduled: its times and windows, and the waves' windows. */
function scheduled(waves: Release['waves'][number]['maintenanceWindows'][]): Release {
  return {
    ...original,
    schedulingConfig: {
      startTime: '2026-12-01T01:00',
      endTime: '2026-12-05T00:00',
      maintenanceWindows: [NIGHTLY],
    },
    waves: original.waves.map((w, i) => ({
      ...w,
      ...(waves[i] !== undefined && { maintenanceWindows: waves[i] }),
    })),
  };
}

describe('derivedRelease of a scheduled release', () => {
  it("keeps the release's windows (not its times) in a retry and a rollback", () => {
    for (const kind of ['retry', 'rollback'] as const) {
      const { request } = derivedRelease(kind, scheduled([]), { releaseId: 'd', jobTemplateId: 'fw-prev' });
      // Wave 1 ran with no windows, wave 2 with the release's: they disagree, so the release's carry over.
      expect(request.schedulingConfig).toEqual({ maintenanceWindows: [NIGHTLY] });
    }
  });

  it("keeps the waves' windows when every wave ran in the same ones", () => {
    const { request } = derivedRelease('retry', scheduled([[WEEKEND], [WEEKEND]]), { releaseId: 'd' });
    expect(request.schedulingConfig).toEqual({ maintenanceWindows: [WEEKEND] });
    const none = derivedRelease('retry', scheduled([[], []]), { releaseId: 'd' });
    expect(none.request.schedulingConfig).toEqual({ maintenanceWindows: [] });
  });

  it('names no windows when the original named none (the template keeps its own)', () => {
    expect(derivedRelease('retry', original, { releaseId: 'd' }).request.schedulingConfig).toBeUndefined();
  });
});

describe('derivedRelease', () => {
  it('retries with the original template, one wave over the gathered group, the original tags and webhook', () => {
    const { request, derivation } = derivedRelease('retry', original, { releaseId: 'fw-2-4-1-retry' });
    expect(request).toMatchObject({
      releaseId: 'fw-2-4-1-retry',
      jobTemplateId: 'firmware-2-4-1',
      targets: { thingGroups: ['fleetwave-fw-2-4-1-retry-targets'] },
      waves: [
        { targets: { thingGroups: ['fleetwave-fw-2-4-1-retry-targets'] }, successThresholdPercent: 90 },
      ],
      tags: original.tags,
      notify: original.notify,
      description: 'Retry of the failed things of release fw-2-4-1',
    });
    expect(derivation).toEqual({
      retryOf: 'fw-2-4-1',
      targetSet: {
        sourceReleaseId: 'fw-2-4-1',
        statuses: ['FAILED', 'TIMED_OUT', 'REJECTED'],
        thingGroupName: 'fleetwave-fw-2-4-1-retry-targets',
      },
    });
  });

  it('rolls back the succeeded things with the named template over percentage waves', () => {
    const { request, derivation } = derivedRelease('rollback', original, {
      releaseId: 'rb-1',
      jobTemplateId: 'firmware-2-4-0',
      waves: [{ percentage: 50 }, { percentage: 100 }],
    });
    expect(request.jobTemplateId).toBe('firmware-2-4-0');
    expect(request.waves.map((w) => w.percentage)).toEqual([50, 100]);
    expect(derivation).toMatchObject({ rollbackOf: 'fw-2-4-1', targetSet: { statuses: ['SUCCEEDED'] } });
  });

  it('refuses a rollback without a template, waves with their own targets, and bad waves, naming the field', () => {
    const fields = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).details.map((d) => d.path);
      }
      throw new Error('not refused');
    };
    expect(fields(() => derivedRelease('rollback', original, { releaseId: 'rb-2' }))).toEqual([
      'jobTemplateId',
    ]);
    expect(
      fields(() =>
        derivedRelease('retry', original, { releaseId: 'r-2', waves: [{ targets: { things: ['door-1'] } }] }),
      ),
    ).toEqual(['waves.0.targets']);
    expect(
      fields(() => derivedRelease('retry', original, { releaseId: 'r-3', waves: [{ percentage: 50 }] })),
    ).toEqual(['waves.0.percentage']);
  });
});

describe('countedSetSize', () => {
  it('counts the failed, timed-out and rejected things for a retry and the succeeded ones for a rollback', () => {
    const waves = [
      wave(1, { numberOfSucceededThings: 9, numberOfFailedThings: 1 }),
      wave(2, { numberOfSucceededThings: 80, numberOfTimedOutThings: 2, numberOfRejectedThings: 3 }),
      { releaseId: 'fw-2-4-1', waveNumber: 3, status: 'PENDING', version: 0 } satisfies WaveState,
    ];
    expect(countedSetSize('retry', waves)).toBe(6);
    expect(countedSetSize('rollback', waves)).toBe(89);
    expect(countedSetSize('retry', [wave(1, { numberOfSucceededThings: 5 })])).toBe(0);
    // A wave failed while devices ran: they may still succeed (or fail) after it, and count.
    const failedEarly = [wave(1, { numberOfFailedThings: 10, numberOfInProgressThings: 90 })];
    expect(countedSetSize('rollback', failedEarly)).toBe(90);
    expect(countedSetSize('retry', [wave(1, { numberOfSucceededThings: 5, numberOfQueuedThings: 2 })])).toBe(
      2,
    );
  });
});

describe('waveJobIds', () => {
  it('lists the wave job, then its follow-up jobs; none before the wave started', () => {
    expect(waveJobIds({ jobId: 'a-w01', followUpJobIds: ['a-w01-r1'] })).toEqual(['a-w01', 'a-w01-r1']);
    expect(waveJobIds({})).toEqual([]);
  });
});

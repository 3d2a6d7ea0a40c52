/**
 * `schedulingConfig` on a release request: AWS IoT's names, formats and
 * limits, the times checked against the request's time (a 400 naming the
 * field), and a wave's own `maintenanceWindows`.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/domain/errors.js';
import { createRelease } from '../../../lib/releases/create-release.js';
import { createReleaseBodySchema } from '../../../lib/releases/schemas.js';
import { fakes, releaseBody } from './fakes.js';

const NOW = Date.UTC(2026, 5, 1, 12);
const NIGHTLY = { startTime: 'cron(0 2 * * ? *)', durationInMinutes: 120 };

const problems = async (overrides: Record<string, unknown>) => {
  try {
    await createRelease(fakes(), { body: createReleaseBodySchema.parse(releaseBody(overrides)), now: NOW });
  } catch (error) {
    if (error instanceof ValidationError) return error.details;
    throw error;
  }
  return [];
};

describe('createRelease with a schedulingConfig', () => {
  it('stores the scheduling config and a wave that overrides the windows', async () => {
    const schedulingConfig = {
      startTime: '2026-06-01T13:00',
      endTime: '2026-06-08T13:00',
      endBehavior: 'FORCE_CANCEL',
      maintenanceWindows: [NIGHTLY],
    };
    const { release } = await createRelease(fakes(), {
      body: createReleaseBodySchema.parse(
        releaseBody({
          schedulingConfig,
          waves: [{ percentage: 10, maintenanceWindows: [] }, { percentage: 100 }],
        }),
      ),
      now: NOW,
    });
    expect(release.release.schedulingConfig).toEqual(schedulingConfig);
    expect(release.release.waves.map((w) => w.maintenanceWindows)).toEqual([[], undefined]);
    expect(release.release.status).toBe('PENDING');
  });

  it('refuses times too near or too far, naming the field, against the request time', async () => {
    expect(await problems({ schedulingConfig: { startTime: '2026-06-01T12:29' } })).toEqual([
      { path: 'schedulingConfig.startTime', message: 'must be at least 30 minutes from now' },
    ]);
    expect(
      await problems({ schedulingConfig: { startTime: '2026-06-01T13:00', endTime: '2026-06-01T13:10' } }),
    ).toEqual([{ path: 'schedulingConfig.endTime', message: 'must be at least 30 minutes after startTime' }]);
    expect(await problems({ schedulingConfig: { endTime: '2028-07-01T00:00' } })).toEqual([
      { path: 'schedulingConfig.endTime', message: 'must be at most two years from now' },
    ]);
  });

  it("refuses a start more than 335 days and an end more than 364 days ahead: the release must end within its execution's year", async () => {
    // AWS allows both (a start a year ahead, an end two years ahead); Step Functions ends an execution at a year.
    expect(await problems({ schedulingConfig: { startTime: '2027-05-03T12:00' } })).toEqual([
      {
        path: 'schedulingConfig.startTime',
        message:
          'must be at most 335 days from now (a release must finish within its workflow execution’s year)',
      },
    ]);
    expect(await problems({ schedulingConfig: { startTime: '2027-05-02T12:00' } })).toEqual([]);
    expect(await problems({ schedulingConfig: { endTime: '2027-05-31T12:01' } })).toEqual([
      {
        path: 'schedulingConfig.endTime',
        message:
          'must be at most 364 days from now (a release must finish within its workflow execution’s year)',
      },
    ]);
    expect(await problems({ schedulingConfig: { endTime: '2027-05-31T12:00' } })).toEqual([]);
  });

  it('refuses windows that never open before the release must end, naming the field', async () => {
    const never = 'must open at least once between the release’s start and its end (or within 364 days)';
    const february30 = { startTime: 'cron(0 0 30 2 ? *)', durationInMinutes: 60 };
    const pastYear = { startTime: 'cron(0 2 * * ? 2025)', durationInMinutes: 60 };
    expect(await problems({ schedulingConfig: { maintenanceWindows: [february30] } })).toEqual([
      { path: 'schedulingConfig.maintenanceWindows', message: never },
    ]);
    expect(
      await problems({ waves: [{ percentage: 10 }, { percentage: 100, maintenanceWindows: [pastYear] }] }),
    ).toEqual([{ path: 'waves.1.maintenanceWindows', message: never }]);
    // A window that opens only after the end time is no window for this release.
    const christmas = { startTime: 'cron(0 0 25 12 ? *)', durationInMinutes: 60 };
    expect(
      await problems({ schedulingConfig: { endTime: '2026-07-01T00:00', maintenanceWindows: [christmas] } }),
    ).toEqual([{ path: 'schedulingConfig.maintenanceWindows', message: never }]);
    expect(await problems({ schedulingConfig: { maintenanceWindows: [christmas] } })).toEqual([]);
    expect(await problems({ waves: [{ percentage: 100, maintenanceWindows: [] }] })).toEqual([]);
  });

  it("refuses what AWS IoT refuses in the config's shape", async () => {
    const paths = async (overrides: Record<string, unknown>) => {
      const parsed = createReleaseBodySchema.safeParse(releaseBody(overrides));
      return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
    };
    expect(await paths({ schedulingConfig: { startTime: '2026-06-01 13:00' } })).toEqual([
      'schedulingConfig.startTime',
    ]);
    expect(await paths({ schedulingConfig: { endBehavior: 'STOP' } })).toEqual([
      'schedulingConfig.endBehavior',
    ]);
    expect(
      await paths({
        schedulingConfig: { maintenanceWindows: [{ startTime: 'cron(0 2 * * *)', durationInMinutes: 60 }] },
      }),
    ).toEqual(['schedulingConfig.maintenanceWindows.0.startTime']);
    expect(
      await paths({
        waves: [{ percentage: 100, maintenanceWindows: [{ ...NIGHTLY, durationInMinutes: 1431 }] }],
      }),
    ).toEqual(['waves.0.maintenanceWindows.0.durationInMinutes']);
  });

  it('refuses more than 100 windows on the release or a wave, naming the field', () => {
    const many = Array.from({ length: 101 }, () => NIGHTLY);
    const issues = (overrides: Record<string, unknown>) =>
      createReleaseBodySchema
        .safeParse(releaseBody(overrides))
        .error?.issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues({ schedulingConfig: { maintenanceWindows: many } })).toEqual([
      ['schedulingConfig.maintenanceWindows', 'must hold at most 100 windows'],
    ]);
    expect(issues({ waves: [{ percentage: 100, maintenanceWindows: many }] })).toEqual([
      ['waves.0.maintenanceWindows', 'must hold at most 100 windows'],
    ]);
  });
});

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
});

/**
 * The cap on maintenance windows is checked before any window is read: a
 * request with thousands of windows is refused for its count, not parsed
 * one cron expression at a time first.
 */
import { describe, expect, it } from 'vitest';
import { jobSettingsSchemas } from '../../../lib/domain/iot-job-settings.js';

/** A window that fails the test if anything reads it. */
const unreadable = () =>
  Object.defineProperties(
    {},
    {
      startTime: {
        enumerable: true,
        get() {
          throw new Error('a window was read before the count was checked');
        },
      },
      durationInMinutes: { enumerable: true, value: 60 },
    },
  );

describe('the maintenance-window cap', () => {
  for (const strictness of ['strict', 'lenient'] as const) {
    const { maintenanceWindows } = jobSettingsSchemas(strictness);

    it(`${strictness}: refuses 101 windows by their count, reading none`, () => {
      const result = maintenanceWindows.safeParse(Array.from({ length: 101 }, unreadable));
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => i.message)).toEqual(['must hold at most 100 windows']);
    });

    it(`${strictness}: takes 100 windows, each read and checked`, () => {
      const window = { startTime: 'cron(0 2 * * ? *)', durationInMinutes: 60 };
      expect(maintenanceWindows.safeParse(Array.from({ length: 100 }, () => window)).success).toBe(true);
      const bad = [
        ...Array.from({ length: 99 }, () => window),
        { startTime: 'cron(0 2 * * * *)', durationInMinutes: 60 },
      ];
      expect(maintenanceWindows.safeParse(bad).error?.issues[0]?.path).toEqual([99, 'startTime']);
    });
  }
});

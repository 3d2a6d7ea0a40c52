import { describe, expect, it, vi } from 'vitest';
import { scheduledJobRollouts } from '../../../local/iot/jobs/job-schedule.js';

const parses = vi.hoisted(() => ({ count: 0 }));

vi.mock('../../../lib/domain/maintenance-windows.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../lib/domain/maintenance-windows.js')>();
  return {
    ...original,
    windowSchedule: (...args: Parameters<typeof original.windowSchedule>) => {
      parses.count++;
      return original.windowSchedule(...args);
    },
  };
});

describe("a job's maintenance windows", () => {
  it('are parsed once per job, not on every DescribeJob', () => {
    const config = { maintenanceWindows: [{ startTime: 'cron(0 2 * * ? *)', durationInMinutes: 60 }] };
    const now = Date.parse('2026-01-01T00:00Z');
    for (let i = 0; i < 5; i++) expect(scheduledJobRollouts(config, now + i * 60_000)).toHaveLength(7);
    expect(parses.count).toBe(1);
    // Another job (another config) has its own.
    scheduledJobRollouts(structuredClone(config), now);
    expect(parses.count).toBe(2);
  });
});

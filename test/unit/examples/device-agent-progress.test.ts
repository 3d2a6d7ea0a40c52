import { describe, expect, it } from 'vitest';
import {
  detailValue,
  PROGRESS_EVERY_PERCENT,
  progressToReport,
  stepDetails,
} from '../../../examples/device-agent/progress.js';

describe("the device agent's progress in statusDetails", () => {
  it('reports each quarter once, and the jump to the highest quarter crossed', () => {
    expect(PROGRESS_EVERY_PERCENT).toBe(25);
    expect(progressToReport(10, 100, 0)).toBeUndefined();
    expect(progressToReport(25, 100, 0)).toBe(25);
    expect(progressToReport(49, 100, 25)).toBeUndefined();
    expect(progressToReport(80, 100, 25)).toBe(75);
    expect(progressToReport(100, 100, 75)).toBe(100);
    expect(progressToReport(100, 100, 100)).toBeUndefined();
  });

  it('reports nothing when the size is unknown or zero, and never more than 100%', () => {
    expect(progressToReport(5000, undefined, 0)).toBeUndefined();
    expect(progressToReport(0, 0, 0)).toBeUndefined();
    expect(progressToReport(300, 100, 75)).toBe(100);
  });

  it('puts the step first, with extra entries made acceptable to AWS', () => {
    expect(stepDetails('downloading', { progress: '40%' })).toEqual({ step: 'downloading', progress: '40%' });
    expect(stepDetails('done')).toEqual({ step: 'done' });
  });

  it('cleans a reason: no control characters, not empty, at most 1024 characters', () => {
    expect(detailValue('connect failed:\n\tETIMEDOUT\u0000')).toBe('connect failed: ETIMEDOUT');
    expect(detailValue('\n')).toBe('-');
    expect(detailValue('x'.repeat(2000))).toHaveLength(1024);
  });
});

import { describe, expect, it } from 'vitest';
import { abortReasonCode, evaluateAbort } from '../../../local/fleet/abort-rules.js';

const tally = (t: Partial<Record<'SUCCEEDED' | 'FAILED' | 'REJECTED' | 'TIMED_OUT', number>>) => ({
  SUCCEEDED: 0,
  FAILED: 0,
  REJECTED: 0,
  TIMED_OUT: 0,
  ...t,
});
const criterion = (
  failureType: 'FAILED' | 'REJECTED' | 'TIMED_OUT' | 'ALL',
  thresholdPercentage: number,
  min: number,
) => ({
  failureType,
  action: 'CANCEL' as const,
  thresholdPercentage,
  minNumberOfExecutedThings: min,
});

describe('abort rule (abortConfig.criteriaList)', () => {
  it('does not abort before minNumberOfExecutedThings executions have completed, even at 100% failures', () => {
    const config = { criteriaList: [criterion('FAILED', 20, 100)] };
    expect(evaluateAbort(config, tally({ FAILED: 99 }))).toBeUndefined();
    expect(evaluateAbort(config, tally({ FAILED: 100 }))?.criterion.failureType).toBe('FAILED');
  });

  it('aborts when the share of failures among completed executions reaches thresholdPercentage, not below', () => {
    const config = { criteriaList: [criterion('FAILED', 20, 100)] };
    expect(evaluateAbort(config, tally({ SUCCEEDED: 81, FAILED: 19 }))).toBeUndefined();
    const decision = evaluateAbort(config, tally({ SUCCEEDED: 80, FAILED: 20 }));
    expect(decision).toMatchObject({ percentage: 20, completed: 100, reasonCode: abortReasonCode });
    expect(decision?.comment).toContain('20.00% of 100 completed executions were FAILED');
  });

  it('counts FAILED, REJECTED and TIMED_OUT together for failureType ALL, and only its own type otherwise', () => {
    const counts = tally({ SUCCEEDED: 5, FAILED: 2, REJECTED: 2, TIMED_OUT: 1 });
    expect(evaluateAbort({ criteriaList: [criterion('ALL', 50, 10)] }, counts)?.percentage).toBe(50);
    expect(evaluateAbort({ criteriaList: [criterion('REJECTED', 25, 10)] }, counts)).toBeUndefined();
    expect(evaluateAbort({ criteriaList: [criterion('REJECTED', 20, 10)] }, counts)?.percentage).toBe(20);
  });

  it('meets a two-decimal threshold exactly (1 in 3 meets 33.33%) and does not round a near miss up', () => {
    expect(
      evaluateAbort({ criteriaList: [criterion('FAILED', 33.33, 3)] }, tally({ SUCCEEDED: 2, FAILED: 1 })),
    ).toBeDefined();
    // 19.996% is below 20%.
    expect(
      evaluateAbort(
        { criteriaList: [criterion('FAILED', 20, 1)] },
        tally({ SUCCEEDED: 20_004, FAILED: 5_000 }),
      ),
    ).toBeUndefined();
  });

  it('checks every criterion and reports the first one met', () => {
    const config = { criteriaList: [criterion('FAILED', 20, 100), criterion('TIMED_OUT', 50, 4)] };
    expect(evaluateAbort(config, tally({ SUCCEEDED: 2, TIMED_OUT: 2 }))?.criterion.failureType).toBe(
      'TIMED_OUT',
    );
  });

  it('never aborts a job without an abort configuration', () => {
    expect(evaluateAbort(undefined, tally({ FAILED: 1000 }))).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { errorMatches, RetryPolicy } from '../../../local/stepfunctions/runtime/retry-policy.js';

describe('errorMatches', () => {
  it('matches by name, States.ALL, and States.TaskFailed for all but States.Timeout', () => {
    expect(errorMatches(['ThrottledError'], 'ThrottledError')).toBe(true);
    expect(errorMatches(['ThrottledError'], 'UpstreamError')).toBe(false);
    expect(errorMatches(['States.ALL'], 'States.Timeout')).toBe(true);
    expect(errorMatches(['States.TaskFailed'], 'UpstreamError')).toBe(true);
    expect(errorMatches(['States.TaskFailed'], 'States.HeartbeatTimeout')).toBe(true);
    expect(errorMatches(['States.TaskFailed'], 'States.Timeout')).toBe(false);
  });

  it('never matches States.Runtime, not even with States.ALL', () => {
    expect(errorMatches(['States.ALL', 'States.Runtime'], 'States.Runtime')).toBe(false);
  });
});

describe('RetryPolicy', () => {
  it('pauses IntervalSeconds × BackoffRate^attempt, up to MaxAttempts', () => {
    const policy = new RetryPolicy([
      { ErrorEquals: ['E'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 3 },
    ]);
    expect([policy.next('E'), policy.next('E'), policy.next('E'), policy.next('E')]).toEqual([
      2000,
      6000,
      18000,
      undefined,
    ]);
  });

  it('uses the defaults: 1 s, backoff 2, three attempts', () => {
    const policy = new RetryPolicy([{ ErrorEquals: ['States.ALL'] }]);
    expect([policy.next('X'), policy.next('X'), policy.next('X'), policy.next('X')]).toEqual([
      1000,
      2000,
      4000,
      undefined,
    ]);
  });

  it('caps a pause at MaxDelaySeconds and draws below it with JitterStrategy FULL', () => {
    const capped = new RetryPolicy([
      { ErrorEquals: ['E'], IntervalSeconds: 50, MaxDelaySeconds: 60, MaxAttempts: 5 },
    ]);
    expect([capped.next('E'), capped.next('E')]).toEqual([50_000, 60_000]);
    const jittered = new RetryPolicy(
      [{ ErrorEquals: ['E'], IntervalSeconds: 10, JitterStrategy: 'FULL' }],
      () => 0.25,
    );
    expect(jittered.next('E')).toBe(2500);
  });

  it('lets the first matching retrier decide, even when its attempts are spent', () => {
    const policy = new RetryPolicy([
      { ErrorEquals: ['E'], MaxAttempts: 0 },
      { ErrorEquals: ['States.ALL'], MaxAttempts: 5 },
    ]);
    expect(policy.next('E')).toBeUndefined();
    expect(policy.next('Other')).toBe(1000);
  });

  it('counts attempts per retrier', () => {
    const policy = new RetryPolicy([
      { ErrorEquals: ['A'], IntervalSeconds: 1, MaxAttempts: 2 },
      { ErrorEquals: ['B'], IntervalSeconds: 10, MaxAttempts: 2 },
    ]);
    expect([
      policy.next('A'),
      policy.next('B'),
      policy.next('A'),
      policy.next('B'),
      policy.next('A'),
    ]).toEqual([1000, 10_000, 2000, 20_000, undefined]);
  });
});

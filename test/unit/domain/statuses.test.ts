import { describe, expect, it } from 'vitest';
import {
  canTransition,
  isTerminalReleaseStatus,
  isTerminalWaveStatus,
  releaseStatuses,
  releaseStatusesLeadingTo,
  releaseTransitions,
  waveStatuses,
  waveStatusesLeadingTo,
  waveTransitions,
} from '../../../lib/domain/statuses.js';

describe('release statuses', () => {
  it('follow PENDING → IN_PROGRESS ⇄ WAITING_APPROVAL → SUCCEEDED | FAILED | CANCELED', () => {
    expect(canTransition(releaseTransitions, 'PENDING', 'IN_PROGRESS')).toBe(true);
    expect(canTransition(releaseTransitions, 'IN_PROGRESS', 'WAITING_APPROVAL')).toBe(true);
    expect(canTransition(releaseTransitions, 'WAITING_APPROVAL', 'IN_PROGRESS')).toBe(true);
    expect(canTransition(releaseTransitions, 'IN_PROGRESS', 'SUCCEEDED')).toBe(true);
    expect(canTransition(releaseTransitions, 'IN_PROGRESS', 'FAILED')).toBe(true);
    expect(canTransition(releaseTransitions, 'WAITING_APPROVAL', 'CANCELED')).toBe(true);
  });

  it('are PAUSED only from IN_PROGRESS, and leave it back to IN_PROGRESS or to an end', () => {
    expect(canTransition(releaseTransitions, 'IN_PROGRESS', 'PAUSED')).toBe(true);
    expect(canTransition(releaseTransitions, 'PAUSED', 'IN_PROGRESS')).toBe(true);
    expect(canTransition(releaseTransitions, 'PAUSED', 'CANCELED')).toBe(true);
    expect(canTransition(releaseTransitions, 'PAUSED', 'SUCCEEDED')).toBe(false);
    expect(canTransition(releaseTransitions, 'WAITING_APPROVAL', 'PAUSED')).toBe(false);
    expect(canTransition(releaseTransitions, 'PENDING', 'PAUSED')).toBe(false);
  });

  it('never move backwards or out of a terminal status', () => {
    expect(canTransition(releaseTransitions, 'IN_PROGRESS', 'PENDING')).toBe(false);
    expect(canTransition(releaseTransitions, 'SUCCEEDED', 'IN_PROGRESS')).toBe(false);
    expect(canTransition(releaseTransitions, 'FAILED', 'SUCCEEDED')).toBe(false);
    expect(canTransition(releaseTransitions, 'WAITING_APPROVAL', 'SUCCEEDED')).toBe(false);
    expect(canTransition(releaseTransitions, 'IN_PROGRESS', 'IN_PROGRESS')).toBe(false);
  });

  it('are terminal exactly for SUCCEEDED, FAILED and CANCELED', () => {
    expect(releaseStatuses.filter(isTerminalReleaseStatus)).toEqual(['SUCCEEDED', 'FAILED', 'CANCELED']);
  });

  it('list the statuses that lead to a target', () => {
    expect(releaseStatusesLeadingTo('CANCELED')).toEqual([
      'PENDING',
      'SCHEDULED',
      'IN_PROGRESS',
      'WAITING_APPROVAL',
      'PAUSED',
    ]);
    expect(releaseStatusesLeadingTo('PAUSED')).toEqual(['IN_PROGRESS']);
    expect(releaseStatusesLeadingTo('SUCCEEDED')).toEqual(['IN_PROGRESS']);
    expect(releaseStatusesLeadingTo('PENDING')).toEqual([]);
    expect(releaseStatusesLeadingTo('SCHEDULED')).toEqual(['PENDING']);
    expect(releaseStatusesLeadingTo('IN_PROGRESS')).toEqual([
      'PENDING',
      'SCHEDULED',
      'WAITING_APPROVAL',
      'PAUSED',
    ]);
  });
});

describe('wave statuses', () => {
  it('follow PENDING → IN_PROGRESS → BAKING → SUCCEEDED | FAILED | CANCELED', () => {
    expect(canTransition(waveTransitions, 'PENDING', 'IN_PROGRESS')).toBe(true);
    expect(canTransition(waveTransitions, 'IN_PROGRESS', 'BAKING')).toBe(true);
    expect(canTransition(waveTransitions, 'BAKING', 'SUCCEEDED')).toBe(true);
    expect(canTransition(waveTransitions, 'BAKING', 'FAILED')).toBe(true);
    expect(canTransition(waveTransitions, 'IN_PROGRESS', 'TIMED_OUT')).toBe(true);
  });

  it('allow success without a bake, and cancel a wave that never started', () => {
    expect(canTransition(waveTransitions, 'IN_PROGRESS', 'SUCCEEDED')).toBe(true);
    expect(canTransition(waveTransitions, 'PENDING', 'CANCELED')).toBe(true);
  });

  it('refuse backward moves and a bake timing out', () => {
    expect(canTransition(waveTransitions, 'BAKING', 'IN_PROGRESS')).toBe(false);
    expect(canTransition(waveTransitions, 'PENDING', 'SUCCEEDED')).toBe(false);
    expect(canTransition(waveTransitions, 'BAKING', 'TIMED_OUT')).toBe(false);
    expect(canTransition(waveTransitions, 'SUCCEEDED', 'FAILED')).toBe(false);
  });

  it('are terminal exactly for SUCCEEDED, FAILED, TIMED_OUT and CANCELED', () => {
    expect(waveStatuses.filter(isTerminalWaveStatus)).toEqual([
      'SUCCEEDED',
      'FAILED',
      'TIMED_OUT',
      'CANCELED',
    ]);
    expect(waveStatusesLeadingTo('SUCCEEDED')).toEqual(['IN_PROGRESS', 'BAKING']);
  });
});

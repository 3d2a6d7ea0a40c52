import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../../lib/domain/errors.js';
import { pendingWave } from '../../../lib/domain/release.js';
import { type HeldWave, movedWave } from '../../../lib/domain/wave-move.js';

const at = '2026-03-01T10:00:00.000Z';
const baking: HeldWave = {
  ...pendingWave('r1', 2),
  status: 'BAKING',
  version: 4,
  taskToken: 'token',
  waitingFor: 'APPROVAL',
  waitingSince: '2026-03-01T09:00:00.000Z',
};

describe('movedWave', () => {
  it('leaves a wave already in the target status as it is: a retried move', () => {
    expect(movedWave(baking, { to: 'BAKING', from: ['IN_PROGRESS'], at })).toBeUndefined();
  });

  it('refuses a move from a status it does not start from', () => {
    expect(() => movedWave(baking, { to: 'CANCELED', from: ['PENDING'], at })).toThrow(ConflictError);
  });

  it('ends a wave: the next version, the status it left, when and why, and nothing waits on it any more', () => {
    expect(movedWave(baking, { to: 'FAILED', from: ['IN_PROGRESS', 'BAKING'], at, reason: 'bad' })).toEqual({
      ...pendingWave('r1', 2),
      status: 'FAILED',
      previousStatus: 'BAKING',
      version: 5,
      updatedAt: at,
      statusChangedAt: at,
      finishedAt: at,
      reason: 'bad',
    });
  });

  it('keeps the task token of a wave that moves on without ending', () => {
    const running = { ...baking, status: 'IN_PROGRESS' as const };
    expect(movedWave(running, { to: 'BAKING', from: ['IN_PROGRESS'], at })).toMatchObject({
      status: 'BAKING',
      taskToken: 'token',
      waitingFor: 'APPROVAL',
    });
  });
});

/**
 * One rule for the task token a wave holds while a workflow task waits on
 * it (an approval, a wake-up), applied by the DynamoDB repository and the
 * in-memory store alike: storing a token replaces any earlier one, and
 * taking it gives it to one caller only, and only for the purpose it was
 * stored for when a purpose is asked.
 */
import type { TaskTokenPurpose } from './release.js';
import type { TakenTaskToken } from './release-store.js';
import type { HeldWave } from './wave-move.js';

/** The wave holding `token` from `at`, in its next version. */
export function withTaskToken<W extends HeldWave>(
  current: W,
  token: { token: string; purpose: TaskTokenPurpose },
  at: string,
): W {
  return {
    ...current,
    version: current.version + 1,
    updatedAt: at,
    taskToken: token.token,
    waitingFor: token.purpose,
    waitingSince: at,
  };
}

/**
 * The token the wave gives up at `at` and the wave without it; undefined
 * when it holds none, or one stored for another purpose than `purpose`.
 */
export function takenTaskToken<W extends HeldWave>(
  current: W,
  purpose: TaskTokenPurpose | undefined,
  at: string,
): { taken: TakenTaskToken; next: W } | undefined {
  const { taskToken, waitingFor, waitingSince } = current;
  if (!taskToken || !waitingFor || !waitingSince) return undefined;
  if (purpose !== undefined && waitingFor !== purpose) return undefined;
  return {
    taken: { token: taskToken, purpose: waitingFor, storedAt: waitingSince },
    next: {
      ...current,
      version: current.version + 1,
      updatedAt: at,
      taskToken: undefined,
      waitingFor: undefined,
      waitingSince: undefined,
    },
  };
}

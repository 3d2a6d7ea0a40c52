/**
 * Where a crash run kills the stack, drawn from a seeded stream so that a
 * failing seed can be run again. Kills take turns between three anchors:
 * - a wall-clock delay after the life was spawned (anywhere in the run);
 * - a share of the previous life's start-up time, so that the kill falls
 *   before the banner, while the stack restores the data dir and resumes
 *   the releases (whatever the machine's speed);
 * - a delay after an approval gate was seen open, before the person answers
 *   it, so that the answer goes to the restarted stack.
 */
import { streamFromText } from '../../../local/fleet/random.js';

/** The seed a run uses when `FLEETWAVE_CRASH_SEED` is not set. */
const defaultCrashSeed = 'crash-1';

/** `FLEETWAVE_CRASH_SEED`, or the default. */
export function crashSeedFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const seed = env.FLEETWAVE_CRASH_SEED?.trim();
  return seed === undefined || seed === '' ? defaultCrashSeed : seed;
}

/** What a kill's delay is counted from. */
type KillAnchor = 'spawn' | 'start-up' | 'approval gate open';

/**
 * One kill to come: `delayMs` after its anchor, or for `start-up` at `share`
 * of the last start-up time. The n-th gate-anchored kill has `gateTurn` n, so
 * that successive ones wait on the gates of successive releases.
 */
export interface PlannedKill {
  readonly anchor: KillAnchor;
  readonly delayMs: number;
  readonly share: number;
  readonly gateTurn: number;
}

/**
 * The kills of a run, the same for the same seed: spawn-anchored delays
 * uniform in [minMs, maxMs), start-up shares in [0.25, 0.75), gate-anchored
 * delays in [0, gateMs).
 */
export function killPlan(
  seed: string,
  kills: number,
  minMs: number,
  maxMs: number,
  gateMs: number,
): PlannedKill[] {
  const random = streamFromText(`crash-kills/${seed}`);
  return Array.from({ length: kills }, (_, index) => {
    const draw = random();
    const gateTurn = Math.floor(index / 3);
    if (index % 3 === 1) return { anchor: 'start-up', delayMs: 0, share: 0.25 + draw * 0.5, gateTurn };
    if (index % 3 === 2)
      return { anchor: 'approval gate open', delayMs: Math.round(draw * gateMs), share: 0, gateTurn };
    return { anchor: 'spawn', delayMs: Math.round(minMs + draw * (maxMs - minMs)), share: 0, gateTurn };
  });
}

/**
 * The virtual clock's admin routes:
 * - `GET /_fleetwave/clock`: `{now, epochMs, mode, pendingTimers}`;
 * - `POST /_fleetwave/clock/advance` `{ms?, seconds?, minutes?, hours?}`
 *   (added up): moves time forward and answers once every timer that fell
 *   due has run, so what the caller reads next already reflects it;
 * - `POST /_fleetwave/clock/set` `{time}` (ISO 8601 or epoch ms): moves time
 *   to that instant, never backwards;
 * - `PUT /_fleetwave/clock/mode` `{kind: 'manual'|'scaled'|'max', factor?}`.
 *
 * Moves are serialised: two overlapping advances run one after the other,
 * and time does not also flow on its own while one runs.
 */
import { z } from 'zod';
import { ValidationError } from '../../../lib/domain/errors.js';
import type { TimeMode } from '../../clock/clock.js';
import type { VirtualClock } from '../../clock/virtual-clock.js';
import { type AddAdminRoute, adminRoute, parseBody } from './admin-route.js';

/** The longest single move: a year and a day, beyond any job or workflow the stack runs. */
const maxMoveMs = 366 * 24 * 3600 * 1000;

/** The last instant a JavaScript Date can hold (ECMAScript's time value range). */
const lastDateMs = 8.64e15;

const amount = z.number().min(0, 'must be at least 0');

const advanceSchema = z
  .strictObject({
    ms: amount.optional(),
    seconds: amount.optional(),
    minutes: amount.optional(),
    hours: amount.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'must give at least one of ms, seconds, minutes and hours',
  })
  .transform(
    (b) => (b.ms ?? 0) + (b.seconds ?? 0) * 1000 + (b.minutes ?? 0) * 60_000 + (b.hours ?? 0) * 3_600_000,
  )
  .refine((ms) => ms <= maxMoveMs, { message: 'must add up to at most 366 days' });

const setSchema = z.strictObject({
  time: z.union([
    z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time or epoch milliseconds' }),
    z
      .number()
      .int()
      .min(0)
      .max(lastDateMs, 'must be at most 8640000000000000 (the last instant a date can hold)'),
  ]),
});

const modeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('manual') }),
  z.strictObject({
    kind: z.literal('scaled'),
    factor: z
      .number({ error: 'must be a number (scaled mode needs a factor)' })
      .gt(0, 'must be greater than 0')
      .max(1_000_000, 'must be at most 1000000'),
  }),
  z.strictObject({ kind: z.literal('max') }),
]);

/** What the clock routes answer. */
interface ClockView {
  /** ISO 8601, milliseconds precision. */
  now: string;
  epochMs: number;
  mode: TimeMode;
  /** Timers still waiting on the clock. */
  pendingTimers: number;
}

function clockView(clock: VirtualClock): ClockView {
  const now = Math.floor(clock.now());
  return {
    now: new Date(now).toISOString(),
    epochMs: now,
    mode: clock.timeMode,
    pendingTimers: clock.pending,
  };
}

/** Runs clock moves one at a time, with the clock held so a running clock does not move under them. */
export class ClockMover {
  private last: Promise<unknown> = Promise.resolve();

  constructor(private readonly clock: VirtualClock) {}

  moveTo(at: () => number): Promise<void> {
    const run = this.last.then(async () => {
      const release = this.clock.hold();
      try {
        await this.clock.setTime(at());
      } finally {
        release();
      }
    });
    this.last = run.catch(() => {});
    return run;
  }
}

/** Registers the clock routes; `clockOf` answers the clock of the attached fleet (or throws NotFoundError). */
export function addClockRoutes(
  add: AddAdminRoute,
  clockOf: () => { clock: VirtualClock; mover: ClockMover },
): void {
  add(
    'GET',
    '/_fleetwave/clock',
    adminRoute(() => ({ body: clockView(clockOf().clock) })),
  );
  add(
    'POST',
    '/_fleetwave/clock/advance',
    adminRoute(async (req) => {
      const ms = parseBody(advanceSchema, req.body);
      const { clock, mover } = clockOf();
      // The target is read when this move's turn comes, after any move queued before it.
      await mover.moveTo(() => clock.now() + ms);
      return { body: { advancedMs: ms, ...clockView(clock) } };
    }),
  );
  add(
    'POST',
    '/_fleetwave/clock/set',
    adminRoute(async (req) => {
      const { time } = parseBody(setSchema, req.body);
      const { clock, mover } = clockOf();
      const at = typeof time === 'number' ? time : Date.parse(time);
      const now = Math.floor(clock.now());
      // Every check comes before the move: a refused request leaves the clock where it was.
      if (!Number.isFinite(at) || at > lastDateMs) {
        throw new ValidationError(`time ${JSON.stringify(time)} is not an instant a date can hold.`);
      }
      if (at < now) {
        throw new ValidationError(
          `The virtual clock never goes back: ${new Date(at).toISOString()} is before now (${new Date(now).toISOString()}).`,
        );
      }
      await mover.moveTo(() => at);
      return { body: clockView(clock) };
    }),
  );
  add(
    'PUT',
    '/_fleetwave/clock/mode',
    adminRoute((req) => {
      const mode = parseBody(modeSchema, req.body);
      const { clock } = clockOf();
      clock.setMode(mode);
      // Scaled and max time move only on a started clock; manual mode ignores start().
      if (mode.kind !== 'manual') clock.start();
      return { body: clockView(clock) };
    }),
  );
}

/**
 * Benchmark: what maintenance windows cost the local IoT's rollout. The
 * simulator asks its gate (`local/fleet/rollout-windows.ts`) once a virtual
 * second while it notifies; the worst schedule is one-minute windows every
 * minute, whose spans touch and join for ever. Figures: one window-state
 * question with the default week of look-ahead and with the gate's hour,
 * and a virtual day of the gate asked every second, for that worst
 * schedule and for a nightly window. Goal: a virtual day of gate questions
 * well under a second.
 *
 *   npx tsx bench/rollout-windows.ts      (or `npm run bench -- rollout-windows`)
 */
import { windowSchedule } from '../lib/domain/maintenance-windows.js';
import { RolloutWindows } from '../local/fleet/rollout-windows.js';
import { reportResult } from './support/bench-result.js';

const t0 = Date.UTC(2026, 0, 1);
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const everyMinute = [{ startTime: 'cron(* * * * ? *)', durationInMinutes: 1 }];
const nightly = [{ startTime: 'cron(0 2 * * ? *)', durationInMinutes: 60 }];

function timed(run: () => void): number {
  const started = performance.now();
  run();
  return Math.round((performance.now() - started) * 10) / 10;
}

function dayOfGate(windows: typeof nightly): number {
  const gate = new RolloutWindows(windows);
  return timed(() => {
    for (let t = t0; t < t0 + DAY_MS; t += 1000) gate.gate(t);
  });
}

const schedule = windowSchedule(everyMinute);
const weekLookAhead = timed(() => schedule.stateAt(t0));
const hourLookAhead = timed(() => schedule.stateAt(t0, HOUR_MS));
const dayEveryMinute = dayOfGate(everyMinute);
const dayNightly = dayOfGate(nightly);

console.log(`stateAt, one-minute windows every minute, week look-ahead: ${weekLookAhead} ms`);
console.log(`stateAt, same windows, one-hour look-ahead: ${hourLookAhead} ms`);
console.log(`gate every virtual second for a day, one-minute windows: ${dayEveryMinute} ms`);
console.log(`gate every virtual second for a day, nightly window: ${dayNightly} ms`);

reportResult({
  benchmark: 'rollout-windows',
  description: 'maintenance-window questions the fleet simulator asks while it rolls out',
  figures: [
    { name: 'stateAt, 1-minute windows every minute, week look-ahead', value: weekLookAhead, unit: 'ms' },
    { name: 'stateAt, same windows, hour look-ahead', value: hourLookAhead, unit: 'ms' },
    {
      name: 'gate each virtual second for a day, 1-minute windows',
      value: dayEveryMinute,
      unit: 'ms',
      goal: '< 1000 ms',
    },
    {
      name: 'gate each virtual second for a day, nightly window',
      value: dayNightly,
      unit: 'ms',
      goal: '< 1000 ms',
    },
  ],
});

/**
 * A running wave's place in its release's schedule, for the tasks that
 * start and watch it (StartWave, CheckWave): its effective maintenance
 * windows (the wave's, else the release's, else the template's), their
 * state now (recorded on the wave), its deadline counting only open window
 * time, and how long it may sleep: that much open window time, never past
 * its deadline nor the release's end time.
 *
 * The deadline is computed once, when the wave's clock starts (its start,
 * or when it went on after a halt), and kept on the wave (`clock`): every
 * later look reads it, since walking the windows over a week-long timeout
 * costs seconds.
 */
import type { Release, WaveClock, WaveState, WaveWindow } from '../domain/release.js';
import { capAtEnd, effectiveWindows } from '../domain/release-schedule.js';
import { waveClockStart } from '../domain/wave-halt.js';
import { sleepInOpenTime, waveDeadlineInWindows, waveWindowAt } from '../domain/wave-window.js';
import type { WorkflowState } from './workflow-state.js';

export interface WaveSchedule {
  /** When the wave's timeout counts from (its start, or when it went on after its last halt). */
  startedAt: string;
  /** The windows' state at `now`; undefined for a wave without windows. */
  window: WaveWindow | undefined;
  /** When the wave times out (epoch ms). */
  deadlineMs: number;
  /** The clock to record on the wave when it was set just now; undefined when the wave has it already. */
  clock: WaveClock | undefined;
  /** `seconds` of open window time as a sleep, cut at the deadline and the release's end time. */
  sleep(seconds: number): number;
  /** `seconds` of sleep cut at the release's end time only (a look the windows must not delay). */
  untilEnd(seconds: number): number;
}

type ClockedWave = Pick<WaveState, 'waveNumber' | 'startedAt' | 'halt' | 'clock'>;

/** The clock of `wave` as it stands: the one stored when it matches the wave's clock start, else a new one. */
function clockOf(
  release: Release,
  wave: ClockedWave,
  state: Pick<WorkflowState, 'templateWindows'>,
  from: string,
): { clock: WaveClock; fresh: boolean } {
  if (wave.clock?.from === from) return { clock: wave.clock, fresh: false };
  const windows = effectiveWindows(release, wave.waveNumber, state.templateWindows);
  const timeoutMinutes = release.waves[wave.waveNumber - 1]?.timeoutMinutes ?? 0;
  const timeoutAt = waveDeadlineInWindows(Date.parse(from), timeoutMinutes, windows);
  return {
    clock: {
      from,
      timeoutAt: new Date(timeoutAt).toISOString(),
      ...(windows.length > 0 && { windows: windows.map((w) => ({ ...w })) }),
    },
    fresh: true,
  };
}

/** The schedule of a started `wave` at `now` (ISO-8601). */
export function waveSchedule(
  release: Release,
  wave: ClockedWave,
  state: Pick<WorkflowState, 'templateWindows'>,
  now: string,
): WaveSchedule {
  const nowMs = Date.parse(now);
  const startedAt = waveClockStart(wave) ?? now;
  const { clock, fresh } = clockOf(release, wave, state, startedAt);
  const windows = clock.windows ?? [];
  const deadlineMs = Date.parse(clock.timeoutAt);
  return {
    startedAt,
    window: waveWindowAt(windows, nowMs),
    deadlineMs,
    clock: fresh ? clock : undefined,
    sleep: (seconds) => capAtEnd(sleepInOpenTime(seconds, windows, nowMs, deadlineMs), release, nowMs),
    untilEnd: (seconds) => capAtEnd(seconds, release, nowMs),
  };
}

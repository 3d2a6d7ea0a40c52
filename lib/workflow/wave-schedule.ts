/**
 * A running wave's place in its release's schedule, for the tasks that
 * start and watch it (StartWave, CheckWave): its effective maintenance
 * windows (the wave's, else the release's, else the template's), their
 * state now (recorded on the wave), its deadline counting only open window
 * time, and how long it may sleep: until the next opening while closed, at
 * most until the closing while open, and never past the release's end time.
 */
import type { Release, WaveWindow } from '../domain/release.js';
import { capAtEnd, effectiveWindows } from '../domain/release-schedule.js';
import { sleepWithinWindows, waveDeadlineInWindows, waveWindowAt } from '../domain/wave-window.js';
import type { WorkflowState } from './workflow-state.js';

export interface WaveSchedule {
  /** The windows' state at `now`; undefined for a wave without windows. */
  window: WaveWindow | undefined;
  /** When the wave times out (epoch ms). */
  deadlineMs: number;
  /** `seconds` of sleep, fitted to the windows and the release's end time. */
  sleep(seconds: number): number;
  /** `seconds` of sleep cut at the release's end time only (a look the windows must not delay). */
  untilEnd(seconds: number): number;
}

/** The schedule of wave `waveNumber`, started (its clock) at `startedAt`, at `now` (ISO-8601). */
export function waveSchedule(
  release: Release,
  waveNumber: number,
  state: Pick<WorkflowState, 'templateWindows'>,
  startedAt: string,
  now: string,
): WaveSchedule {
  const nowMs = Date.parse(now);
  const windows = effectiveWindows(release, waveNumber, state.templateWindows);
  const timeoutMinutes = release.waves[waveNumber - 1]?.timeoutMinutes ?? 0;
  const window = waveWindowAt(windows, nowMs);
  return {
    window,
    deadlineMs: waveDeadlineInWindows(Date.parse(startedAt), timeoutMinutes, windows),
    sleep: (seconds) => capAtEnd(sleepWithinWindows(seconds, window, nowMs), release, nowMs),
    untilEnd: (seconds) => capAtEnd(seconds, release, nowMs),
  };
}

/**
 * How a running wave's maintenance windows shape its watch. IoT notifies
 * devices only inside the windows, so a wave outside them is waiting, not
 * stalled:
 * - its timeout counts only the time its windows were open (a 2-hour
 *   timeout in a nightly 1-hour window spans two nights);
 * - its safety-net sleeps count open time too, so a wave looks at its job
 *   about as often whether its windows are dense or sparse;
 * - its `window` (open until, or closed until) is computed when it is read.
 * A bake counts wall time: its devices run the new version whatever the windows.
 */
import { type MaintenanceWindow, type WindowState, windowSchedule } from './maintenance-windows.js';
import type { WaveWindow } from './release.js';

const MINUTE_MS = 60_000;

/** The window state to record on a wave at `nowMs`, or undefined for a wave without windows. */
export function waveWindowAt(windows: readonly MaintenanceWindow[], nowMs: number): WaveWindow | undefined {
  if (windows.length === 0) return undefined;
  const state: WindowState = windowSchedule(windows).stateAt(nowMs);
  if (state.open) {
    return {
      open: true,
      ...(state.closesAt !== undefined && { closesAt: new Date(state.closesAt).toISOString() }),
    };
  }
  return {
    open: false,
    ...(state.opensAt !== undefined && { opensAt: new Date(state.opensAt).toISOString() }),
  };
}

/**
 * When a wave started at `startedAtMs` times out: once its windows have
 * been open `timeoutMinutes` since then. Without windows, or with windows
 * that never open again, that is `timeoutMinutes` of wall time.
 */
export function waveDeadlineInWindows(
  startedAtMs: number,
  timeoutMinutes: number,
  windows: readonly MaintenanceWindow[],
): number {
  const wall = startedAtMs + timeoutMinutes * MINUTE_MS;
  if (windows.length === 0) return wall;
  return windowSchedule(windows).afterOpenTime(startedAtMs, timeoutMinutes * MINUTE_MS) ?? wall;
}

/**
 * A running wave's sleep (whole seconds, ≥ 1) at `nowMs`, given the sleep
 * its job's progress asks for: that much OPEN window time, however long the
 * windows stay closed meanwhile, and never past the deadline (`deadlineMs`).
 * No look is forced at a window's opening or closing: nothing but devices
 * already running can progress while closed (their job events wake the
 * wave anyway), and a look per edge would cost dense windows (a minute
 * every five) hundreds of looks a day, enough history to end the
 * execution. Without windows, or with windows that never open again:
 * `seconds` of wall time.
 */
export function sleepInOpenTime(
  seconds: number,
  windows: readonly MaintenanceWindow[],
  nowMs: number,
  deadlineMs: number,
): number {
  if (windows.length === 0) return seconds;
  const wakeMs = windowSchedule(windows).afterOpenTime(nowMs, seconds * 1000);
  if (wakeMs === undefined) return seconds;
  return Math.max(1, Math.ceil((Math.min(wakeMs, deadlineMs) - nowMs) / 1000));
}

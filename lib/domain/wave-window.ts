/**
 * How a running wave's maintenance windows shape its watch. IoT notifies
 * devices only inside the windows, so a wave outside them is waiting, not
 * stalled:
 * - its timeout counts only the time its windows were open (a 2-hour
 *   timeout in a nightly 1-hour window spans two nights);
 * - while closed, it sleeps until the next opening (nothing can progress
 *   but devices already running, whose job events wake it anyway);
 * - while open, its sleep ends at the closing, so the wave record says when
 *   it waits for its window.
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
 * its job's progress asks for: while the windows are closed, until the next
 * opening (however far); while open, at most until the closing.
 */
export function sleepWithinWindows(seconds: number, window: WaveWindow | undefined, nowMs: number): number {
  const untilMs = (iso: string) => Math.max(1, Math.ceil((Date.parse(iso) - nowMs) / 1000));
  if (!window) return seconds;
  if (!window.open) return window.opensAt ? untilMs(window.opensAt) : seconds;
  return window.closesAt ? Math.min(seconds, untilMs(window.closesAt)) : seconds;
}

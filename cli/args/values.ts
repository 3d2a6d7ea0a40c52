/**
 * Readers of option values: each names the option in its error, so
 * `--waves 1,10,x` says which option and which item is wrong.
 */
import { UsageError } from '../errors.js';

/** An integer option within `[min, max]`. */
export function integerValue(option: string, raw: string, min: number, max: number): number {
  const n = /^-?\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new UsageError(`--${option} must be an integer from ${min} to ${max} (got '${raw}')`);
  return n;
}

/** A number option within `[min, max]` (decimals allowed). */
export function numberValue(option: string, raw: string, min: number, max: number): number {
  const n = /^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(n) || n < min || n > max)
    throw new UsageError(`--${option} must be a number from ${min} to ${max} (got '${raw}')`);
  return n;
}

/** A comma-separated list; blanks around items are trimmed, empty items are an error. */
export function listValue(option: string, raw: string): string[] {
  const items = raw.split(',').map((s) => s.trim());
  if (items.some((s) => s === ''))
    throw new UsageError(`--${option} must be a comma-separated list with no empty items (got '${raw}')`);
  return items;
}

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A duration in milliseconds: `500ms`, `2s`, `1.5m`, `1h`; a bare number is
 * seconds. Must be at least `minMs`.
 */
export function durationValue(option: string, raw: string, minMs: number): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(raw.trim());
  const ms = match ? Number(match[1]) * (durationUnits[match[2] ?? 's'] ?? 1000) : Number.NaN;
  if (!Number.isFinite(ms) || ms < minMs)
    throw new UsageError(
      `--${option} must be a duration such as 2s, 500ms, 5m or 1h, at least ${formatDuration(minMs)} (got '${raw}')`,
    );
  return Math.round(ms);
}

/** `1h 2m`, `3m 4s`, `5s`, `250ms`: for messages and elapsed times. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

/** How the dashboard writes times, durations and shares. */

/** An ISO time as `YYYY-MM-DD HH:MM:SS` UTC (the API's times are UTC; so is the local stack's clock). */
export function time(iso: string | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A duration in ms as `1 h 5 min`, `3 min 20 s` or `12 s`. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/**
 * A share as `12.5 %`; within a point of one of `thresholds`, with two
 * decimals (`89.96 %`), as the API rounds it, so a share just short of a
 * threshold never reads as reaching it.
 */
export function percent(value: number | undefined, thresholds: readonly (number | undefined)[] = []): string {
  if (value === undefined) return '–';
  const near = thresholds.some((t) => t !== undefined && Math.abs(value - t) < 1);
  return near ? `${Math.round(value * 100) / 100} %` : `${Math.round(value * 10) / 10} %`;
}

/** `part / total` in percent, rounded to two decimals as the API rounds a wave's shares (0 for none). */
export function shareOf(part: number, total: number): number {
  return total === 0 ? 0 : Math.round((part * 10_000) / total) / 100;
}

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

/** A share as `12.5 %`. */
export function percent(value: number | undefined): string {
  return value === undefined ? '–' : `${Math.round(value * 10) / 10} %`;
}

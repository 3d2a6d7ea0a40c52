/** Plain aligned columns for lists, as `kubectl get` or `gh pr list` print them. */
import { pad, visibleLength } from './terminal.js';

/**
 * Lines of a table: a header row then one row per item, columns two spaces
 * apart, each as wide as its widest cell. The last column is not padded.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : pad(cell, widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}

/** `key: value` lines with the keys aligned; entries whose value is undefined are left out. */
export function formatFields(entries: readonly (readonly [string, string | undefined])[]): string[] {
  const shown = entries.filter((e): e is readonly [string, string] => e[1] !== undefined);
  const width = Math.max(0, ...shown.map(([k]) => k.length + 1));
  return shown.map(([k, v]) => `${pad(`${k}:`, width)} ${v}`);
}

/** The dashboard's tables and pagers, alike on every page. */
import type { ComponentChildren } from 'preact';

/** A table with a header row of `columns`, one row per item, and a line saying so when there is none. */
export function Table<T>(props: {
  columns: readonly string[];
  rows: readonly T[];
  row: (item: T) => ComponentChildren;
  empty: string;
  caption?: ComponentChildren;
  class?: string;
}) {
  return (
    <table class={props.class}>
      {props.caption && <caption>{props.caption}</caption>}
      <thead>
        <tr>
          {props.columns.map((c) => (
            <th scope="col" key={c}>
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.length === 0 && (
          <tr>
            <td colSpan={props.columns.length} class="muted">
              {props.empty}
            </td>
          </tr>
        )}
        {props.rows.map(props.row)}
      </tbody>
    </table>
  );
}

/**
 * Previous and Next over a listing paged with `nextToken`: `trail` holds the
 * tokens of the pages before this one, so Previous goes back through them.
 */
export function Pager(props: { trail: readonly string[]; nextToken: string | undefined; go: (trail: string[]) => void }) {
  const { trail, nextToken, go } = props;
  return (
    <nav class="pager" aria-label="Pages">
      <button type="button" disabled={trail.length === 0} onClick={() => go(trail.slice(0, -1))}>
        Previous
      </button>
      <button type="button" disabled={!nextToken} onClick={() => nextToken && go([...trail, nextToken])}>
        Next
      </button>
    </nav>
  );
}

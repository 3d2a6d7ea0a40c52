/**
 * The release list: newest first, filtered by status, paged with the API's
 * `nextToken` (Previous goes back through the tokens already seen). The
 * filter and the page are in the URL, so Back and a reload keep them.
 */
import { withQuery } from '../api.js';
import { time } from '../format.js';
import { Pager, Table } from '../parts/table.js';
import { navigate, releaseHref, templateHref } from '../router.js';
import type { Page, ReleaseSummary } from '../types.js';
import { usePoll } from '../use-poll.js';

const statuses = ['PENDING', 'SCHEDULED', 'IN_PROGRESS', 'WAITING_APPROVAL', 'PAUSED', 'SUCCEEDED', 'FAILED', 'CANCELED'];
const pageSize = 20;

/** Wave progress as `2 / 3` with a small bar. */
function Progress(props: { item: ReleaseSummary }) {
  const { currentWave, waveCount, status } = props.item;
  const done = status === 'SUCCEEDED' ? waveCount : Math.max(0, (currentWave ?? 0) - 1);
  const share = (done / waveCount) * 100;
  return (
    <span class="progress">
      <span class="mini-bar" aria-hidden="true">
        <span style={{ width: `${share}%` }} />
      </span>{' '}
      wave {currentWave ?? 0} / {waveCount}
    </span>
  );
}

export function ReleaseList(props: { search: string }) {
  const query = new URLSearchParams(props.search);
  const status = query.get('status') ?? '';
  // The tokens of the pages before this one, so Previous can go back.
  const trail = query.getAll('page');
  const token = trail[trail.length - 1];
  const { data, error } = usePoll<Page<ReleaseSummary>>(
    withQuery('/releases', { status, maxResults: pageSize, nextToken: token }),
  );
  const go = (next: { status: string; trail: string[] }) => {
    const params = new URLSearchParams();
    if (next.status) params.set('status', next.status);
    for (const t of next.trail) params.append('page', t);
    const q = params.toString();
    navigate(q ? `/?${q}` : '/');
  };
  return (
    <main>
      <h1 tabIndex={-1}>Releases</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status{' '}
          <select value={status} onChange={(e) => go({ status: e.currentTarget.value, trail: [] })}>
            <option value="">any</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </form>
      {error && <p class="error">{error.message}</p>}
      {!data && !error && <p class="muted">Loading…</p>}
      {data && (
        <Table
          class="releases"
          columns={['Release', 'Status', 'Template', 'Progress', 'Created', 'Last change']}
          rows={data.items}
          empty={`No releases${status ? ` with status ${status}` : ''}.`}
          row={(r) => (
            <tr key={r.releaseId} data-release={r.releaseId}>
              <td>
                <a href={releaseHref(r.releaseId)}>{r.releaseId}</a>
                {r.description && <div class="muted small">{r.description}</div>}
              </td>
              <td>
                <span class={`status status-${r.status}`}>{r.status}</span>
              </td>
              <td>
                <a href={templateHref(r.jobTemplateId)}>{r.jobTemplateId}</a>
              </td>
              <td>
                <Progress item={r} />
              </td>
              <td>{time(r.createdAt)}</td>
              <td>{time(r.updatedAt)}</td>
            </tr>
          )}
        />
      )}
      <Pager trail={trail} nextToken={data?.nextToken} go={(next) => go({ status, trail: next })} />
    </main>
  );
}

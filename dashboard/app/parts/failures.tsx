/**
 * The top failure reasons of a release (grouped by the API from the
 * executions' `statusDetails`), and a drill-down to the failing things of
 * one wave and status, page by page.
 *
 * Each read of these routes costs the API many IoT calls, so they are not
 * polled: they are read again only when a wave's failed, rejected or
 * timed-out count changes (`refreshKey`), so an ended release reads once.
 */
import { useState } from 'preact/hooks';
import { ApiError, withQuery } from '../api.js';
import { usePoll } from '../use-poll.js';
import type { WaveExecution, FailureReasons, Page } from '../types.js';
import { time } from '../format.js';
import { Pager, Table } from './table.js';

const failing = ['FAILED', 'TIMED_OUT', 'REJECTED'] as const;

function unavailable(error: Error | undefined): boolean {
  return error instanceof ApiError && error.status === 404;
}

/** One wave's executions with `status`; a reason, when given, marks the things that gave it. */
function DrillDown(props: {
  releaseId: string;
  waveNumber: number;
  status: string;
  reason?: string;
  refreshKey: string;
}) {
  const [tokens, setTokens] = useState<string[]>([]);
  const base = `/releases/${encodeURIComponent(props.releaseId)}/waves/${props.waveNumber}/executions`;
  const path = withQuery(base, { status: props.status, maxResults: 25, nextToken: tokens[tokens.length - 1] });
  const { data, error } = usePoll<Page<WaveExecution>>(path, { live: false, refreshKey: props.refreshKey });
  if (error) return <p class="error">{unavailable(error) ? 'This API does not list executions.' : error.message}</p>;
  if (!data) return <p class="muted">Loading…</p>;
  return (
    <div class="drill">
      <Table
        caption={
          <>
            Wave {props.waveNumber}, {props.status} things
            {props.reason && <>; marked: “{props.reason}”</>}
          </>
        }
        columns={['Thing', 'Status', 'Last update', 'Details']}
        rows={data.items}
        empty="None."
        row={(x) => {
          const details = Object.entries(x.statusDetails ?? {});
          const marked = props.reason !== undefined && details.some(([, v]) => v === props.reason);
          return (
            <tr key={x.thingName} class={marked ? 'marked' : ''}>
              <td>{x.thingName}</td>
              <td>{x.status}</td>
              <td>{time(x.lastUpdatedAt)}</td>
              <td>{details.map(([k, v]) => `${k}: ${v}`).join('; ') || '–'}</td>
            </tr>
          );
        }}
      />
      <Pager trail={tokens} nextToken={data.nextToken} go={setTokens} />
    </div>
  );
}

/**
 * The failure reasons panel of a release with `waveCount` waves; a new
 * `refreshKey` (the waves' failing counts) reads again.
 */
export function Failures(props: { releaseId: string; waveCount: number; refreshKey: string }) {
  const [wave, setWave] = useState<number | undefined>(undefined);
  const [drill, setDrill] = useState<{ status: string; reason?: string } | undefined>(undefined);
  const path = withQuery(`/releases/${encodeURIComponent(props.releaseId)}/failure-reasons`, { wave });
  const { data, error } = usePoll<FailureReasons>(path, { live: false, refreshKey: props.refreshKey });
  return (
    <section aria-labelledby="failures-title">
      <h2 id="failures-title">Failure reasons</h2>
      <label>
        Wave{' '}
        <select
          value={wave === undefined ? '' : String(wave)}
          onChange={(e) => setWave(e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value))}
        >
          <option value="">all waves</option>
          {Array.from({ length: props.waveCount }, (_, i) => (
            <option key={i} value={String(i + 1)}>
              wave {i + 1}
            </option>
          ))}
        </select>
      </label>
      {error && (
        <p class="error">{unavailable(error) ? 'This API does not summarise failure reasons.' : error.message}</p>
      )}
      {data && data.reasons.length === 0 && <p class="muted">No failed, timed-out or rejected things.</p>}
      {data && data.reasons.length > 0 && (
        <Table
          class="reasons"
          columns={['Reason', 'Things', 'By status (show the things)', 'Examples']}
          rows={data.reasons}
          empty="None."
          row={(r) => (
            <tr key={r.reason}>
              <td class="reason-text">{r.reason}</td>
              <td>{r.count}</td>
              <td>
                {Object.entries(r.statuses).map(([status, n]) =>
                  // Across all waves the reason's wave is not known: its things are listed per wave.
                  wave === undefined ? (
                    <span class="count" key={status}>
                      {status} {n}
                    </span>
                  ) : (
                    <button type="button" class="link" key={status} onClick={() => setDrill({ status, reason: r.reason })}>
                      {status} {n}
                    </button>
                  ),
                )}
              </td>
              <td>{r.thingNames.join(', ')}</td>
            </tr>
          )}
        />
      )}
      {data?.truncated && <p class="muted">Grouped from the first {data.sampledExecutions} executions.</p>}
      {wave === undefined ? (
        <p class="muted" data-testid="pick-wave">
          Pick a wave to list its failing things.
        </p>
      ) : (
        <>
          <div class="drill-controls" role="group" aria-label="Failing things">
            {failing.map((status) => (
              <button type="button" key={status} aria-pressed={drill?.status === status} onClick={() => setDrill({ status })}>
                {status} things of wave {wave}
              </button>
            ))}
          </div>
          {drill && (
            <DrillDown
              // A new wave or status starts at the first page: its paging tokens mean nothing there.
              key={`${wave}-${drill.status}`}
              releaseId={props.releaseId}
              waveNumber={wave}
              refreshKey={props.refreshKey}
              {...drill}
            />
          )}
        </>
      )}
    </section>
  );
}

/**
 * A release's page: where it stands, the gate it waits at, every wave's
 * bar, throughput, failure reasons, actions and the timeline, all updated
 * live from conditional polls.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { duration, time } from '../format.js';
import { Failures } from '../parts/failures.js';
import { Gate } from '../parts/gate.js';
import { ActionDialog, type OpenAction, openAction, ReleaseActions } from '../parts/release-actions.js';
import { Timeline } from '../parts/timeline.js';
import { WaveBar } from '../parts/wave-bar.js';
import { releaseHref, templateHref } from '../router.js';
import { historyReader } from '../history-reader.js';
import { throughputOf } from '../throughput.js';
import type { HistoryEventView, ReleaseView } from '../types.js';
import { usePoll, usePollWith } from '../use-poll.js';

function ThroughputLine(props: { view: ReleaseView; history: readonly HistoryEventView[] }) {
  const t = throughputOf(props.view.waves, props.history);
  if (!t) return null;
  const rate = t.perMinute === undefined ? 'not measured yet' : `${Math.round(t.perMinute * 10) / 10} devices per minute`;
  const lastWave = props.view.waves.length;
  return (
    <p class="throughput" data-testid="throughput">
      Wave {t.waveNumber}: {rate}; {t.remaining} things to go
      {t.finishAt !== undefined &&
        `; at this pace the wave ends at ${time(new Date(t.finishAt).toISOString())}, ${duration(
          t.finishAt - (t.sampledAt ?? t.finishAt),
        )} after the last sample`}
      {t.waveNumber < lastWave && `, then ${lastWave - t.waveNumber} more wave(s)`}.
    </p>
  );
}

/** The waves' failed, rejected and timed-out counts: the failure reasons change only with these. */
function failingKey(view: ReleaseView): string {
  return view.waves
    .map((w) => {
      const c = w.counts;
      return c ? c.numberOfFailedThings + c.numberOfRejectedThings + c.numberOfTimedOutThings : 0;
    })
    .join(',');
}

/** Said whenever a read fails, even over a view already shown: what is shown may be stale. */
function StaleBanner(props: { error: Error | undefined; answeredAt: number | undefined }) {
  if (!props.error) return null;
  return (
    <p class="error banner" role="alert" data-testid="api-error">
      Can't reach the API: {props.error.message}; last updated at{' '}
      {props.answeredAt === undefined ? 'never' : new Date(props.answeredAt).toLocaleTimeString()}.
    </p>
  );
}

export function ReleasePage(props: { releaseId: string }) {
  const base = `/releases/${encodeURIComponent(props.releaseId)}`;
  const polled = usePoll<ReleaseView>(base);
  const readHistory = useMemo(() => historyReader(base), [base]);
  const history = usePollWith<HistoryEventView[]>(`${base}/history`, readHistory);
  // An action's answer is the release as it stands: show it at once, the next poll confirms.
  const [acted, setActed] = useState<ReleaseView | undefined>(undefined);
  const [showProgress, setShowProgress] = useState(false);
  const [open, setOpen] = useState<OpenAction | undefined>(undefined);
  const onOpen = (action: OpenAction['action']) => setOpen(openAction(action));
  // Until the read that follows the action answers; then the polls lead again.
  useEffect(() => setActed(undefined), [polled.data]);
  const view = acted ?? polled.data;
  const onDone = (answer: ReleaseView) => {
    setActed(answer);
    polled.refresh();
    history.refresh();
  };

  if (polled.error && !view) {
    const missing = polled.error instanceof ApiError && polled.error.status === 404;
    return (
      <main>
        <h1 tabIndex={-1}>Release {props.releaseId}</h1>
        <p class="error">{missing ? 'No such release.' : polled.error.message}</p>
        <a href="/">All releases</a>
      </main>
    );
  }
  if (!view) {
    return (
      <main>
        <h1 tabIndex={-1}>Release {props.releaseId}</h1>
        <p class="muted">Loading…</p>
      </main>
    );
  }
  const { release } = view;
  const items = history.data ?? [];
  return (
    <main>
      <StaleBanner error={polled.error ?? history.error} answeredAt={polled.answeredAt} />
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href="/">Releases</a> › <span>{release.releaseId}</span>
      </nav>
      <h1 tabIndex={-1}>
        Release {release.releaseId}{' '}
        <span class={`status status-${release.status}`} data-testid="release-status">
          {release.status}
        </span>
      </h1>
      <div aria-live="polite" class="sr-summary">
        {release.status}
        {release.currentWave ? `, wave ${release.currentWave} of ${release.waves.length}` : ''}
      </div>
      <dl class="facts">
        <dt>Template</dt>
        <dd>
          <a href={templateHref(release.jobTemplateId)}>{release.jobTemplateId}</a>
        </dd>
        {release.description && (
          <>
            <dt>Description</dt>
            <dd>{release.description}</dd>
          </>
        )}
        <dt>Created</dt>
        <dd>
          {time(release.createdAt)}
          {release.createdBy && ` by ${release.createdBy}`}
        </dd>
        {release.schedulingConfig?.startTime && (
          <>
            <dt>Scheduled start</dt>
            <dd data-testid="scheduled-start">{time(release.schedulingConfig.startTime)}</dd>
          </>
        )}
        <dt>Last change</dt>
        <dd>{time(release.updatedAt)}</dd>
        {release.statusReason && (
          <>
            <dt>Reason</dt>
            <dd>{release.statusReason}</dd>
          </>
        )}
        {(release.retryOf ?? release.rollbackOf) && (
          <>
            <dt>{release.retryOf ? 'Retries' : 'Rolls back'}</dt>
            <dd>
              <a href={releaseHref(release.retryOf ?? release.rollbackOf ?? '')}>{release.retryOf ?? release.rollbackOf}</a>
            </dd>
          </>
        )}
      </dl>
      <Gate view={view} onOpen={onOpen} />
      <ReleaseActions view={view} except={release.status === 'WAITING_APPROVAL' ? ['approve', 'reject'] : ['resume']} onOpen={onOpen} />
      {open && <ActionDialog view={view} open={open} onDone={onDone} onClose={() => setOpen(undefined)} />}
      <section aria-labelledby="waves-title">
        <h2 id="waves-title">Waves</h2>
        <ThroughputLine view={view} history={items} />
        <div>
          {view.waves.map((wave, i) => (
            <WaveBar key={wave.waveNumber} wave={wave} definition={release.waves[i]} />
          ))}
        </div>
      </section>
      <Failures releaseId={release.releaseId} waveCount={release.waves.length} refreshKey={failingKey(view)} />
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline</h2>
        <label class="inline">
          <input type="checkbox" checked={showProgress} onChange={(e) => setShowProgress(e.currentTarget.checked)} /> show
          progress samples
        </label>
        {history.error && <p class="error">{history.error.message}</p>}
        <Timeline items={items} showProgress={showProgress} />
      </section>
    </main>
  );
}

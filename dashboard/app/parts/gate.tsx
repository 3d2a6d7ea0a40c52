/**
 * What the release waits for now, if anything: a person's approval (with
 * Approve and Reject), a pause (with Resume), a bake's countdown, a closed
 * maintenance window, or its scheduled start.
 */
import { useEffect, useState } from 'preact/hooks';
import { lastApiTime } from '../api.js';
import { duration, time } from '../format.js';
import type { ReleaseView } from '../types.js';
import { ActionButton, type ActionName } from './release-actions.js';

/**
 * The API's time as of its last answer, looked at once a second while `on`,
 * for countdowns: the stack's clock may run apart from the browser's (a
 * virtual clock, a time scale), so the countdown moves with each answer.
 */
function useApiNow(on: boolean): number {
  const [now, setNow] = useState(lastApiTime());
  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => setNow(lastApiTime()), 1000);
    return () => clearInterval(timer);
  }, [on]);
  return now;
}

function bakeEnd(view: ReleaseView): { wave: number; endsAt: number } | undefined {
  const baking = view.waves.find((w) => w.status === 'BAKING');
  const definition = baking && view.release.waves[baking.waveNumber - 1];
  const since = baking?.statusChangedAt ?? baking?.updatedAt;
  if (!baking || !definition || !since) return undefined;
  return { wave: baking.waveNumber, endsAt: Date.parse(since) + definition.bakeTimeMinutes * 60_000 };
}

/** The gate panel; nothing when the release waits for nothing. */
export function Gate(props: { view: ReleaseView; onOpen: (action: ActionName) => void }) {
  const { view, onOpen } = props;
  const { release } = view;
  const bake = bakeEnd(view);
  const now = useApiNow(bake !== undefined);
  const waiting = view.waves.find((w) => w.waitingFor === 'APPROVAL');
  const closed = view.waves.find((w) => w.status === 'IN_PROGRESS' && w.window && !w.window.open);

  if (release.status === 'WAITING_APPROVAL') {
    const n = waiting?.waveNumber ?? release.currentWave;
    return (
      <section class="gate gate-approval" aria-labelledby="gate-title">
        <h2 id="gate-title">Waiting for approval after wave {n}</h2>
        <p>Since {time(waiting?.waitingSince)}. The next wave starts once someone approves.</p>
        <div class="actions">
          <ActionButton action="approve" onOpen={onOpen} />
          <ActionButton action="reject" onOpen={onOpen} />
        </div>
      </section>
    );
  }
  if (release.pause) {
    const held = release.pause.heldAt !== undefined;
    return (
      <section class="gate gate-pause" aria-labelledby="gate-title">
        <h2 id="gate-title">{held ? 'Paused' : 'Pause asked for'}</h2>
        <p>
          {held
            ? `Held since ${time(release.pause.heldAt)}`
            : 'The release is held at its next wave boundary'}
          {release.pause.requestedBy && `; asked by ${release.pause.requestedBy}`}
          {release.pause.comment && `: “${release.pause.comment}”`}.
        </p>
        {view.links.resume && (
          <div class="actions">
            <ActionButton action="resume" onOpen={onOpen} />
          </div>
        )}
      </section>
    );
  }
  if (bake) {
    const left = bake.endsAt - now;
    return (
      <section class="gate gate-bake" aria-labelledby="gate-title">
        <h2 id="gate-title">Wave {bake.wave} is baking</h2>
        <p>
          The bake ends at {time(new Date(bake.endsAt).toISOString())}
          {left > 0 ? ` (in ${duration(left)}, by the API's clock)` : ''}; a failure meanwhile still stops the release.
        </p>
      </section>
    );
  }
  if (closed?.window) {
    return (
      <section class="gate gate-window" aria-labelledby="gate-title">
        <h2 id="gate-title">Wave {closed.waveNumber} waits for its maintenance window</h2>
        <p>
          {closed.window.opensAt ? `The next window opens at ${time(closed.window.opensAt)}.` : 'No window opens again.'}{' '}
          Its timeout counts only open time.
        </p>
      </section>
    );
  }
  if (release.status === 'SCHEDULED') {
    return (
      <section class="gate gate-scheduled" aria-labelledby="gate-title">
        <h2 id="gate-title">Scheduled</h2>
        <p>The first wave starts at {time(release.schedulingConfig?.startTime)}.</p>
      </section>
    );
  }
  return null;
}

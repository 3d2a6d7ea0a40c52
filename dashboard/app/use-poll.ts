/**
 * Live data for a component: reads `path` now and every ~2 s after, and
 * re-renders only when the answer changed (a 304, or the same body, leaves
 * the page as it is: no flicker). Polling stops while the tab is hidden and
 * reads at once when it shows again.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type ApiError, getJson } from './api.js';

/** How often the page asks again. */
const pollIntervalMs = 2000;

export interface Polled<T> {
  data: T | undefined;
  error: ApiError | Error | undefined;
  /** Reads now (after an action), without waiting for the next tick. */
  refresh: () => void;
}

/** Polls `path` (undefined: nothing to read) as long as the component is shown. */
export function usePoll<T>(path: string | undefined, options: { live?: boolean } = {}): Polled<T> {
  const live = options.live ?? true;
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | Error | undefined>(undefined);
  const tick = useRef<() => void>(() => {});

  useEffect(() => {
    setData(undefined);
    setError(undefined);
    if (path === undefined) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let controller: AbortController | undefined;
    const read = async () => {
      clearTimeout(timer);
      controller?.abort();
      controller = new AbortController();
      try {
        const { value, changed } = await getJson<T>(path, controller.signal);
        if (stopped) return;
        if (changed) setData(value);
        else setData((old) => old ?? value);
        setError(undefined);
      } catch (e) {
        if (stopped || (e instanceof DOMException && e.name === 'AbortError')) return;
        setError(e instanceof Error ? e : new Error(String(e)));
      }
      if (live && !stopped && !document.hidden) timer = setTimeout(read, pollIntervalMs);
    };
    const onVisibility = () => {
      if (document.hidden) clearTimeout(timer);
      else void read();
    };
    tick.current = () => void read();
    document.addEventListener('visibilitychange', onVisibility);
    void read();
    return () => {
      stopped = true;
      clearTimeout(timer);
      controller?.abort();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [path, live]);

  const refresh = useCallback(() => tick.current(), []);
  return { data, error, refresh };
}

/**
 * Live data for a component: reads now and every ~2 s after, and
 * re-renders only when the answer changed (a 304, or the same body, leaves
 * the page as it is: no flicker). Polling stops while the tab is hidden and
 * reads at once when it shows again.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type ApiError, getJson, type Read } from './api.js';

/** How often the page asks again. */
const pollIntervalMs = 2000;

export interface Polled<T> {
  data: T | undefined;
  error: ApiError | Error | undefined;
  /** When the last read answered (browser time, ms), whether or not the data changed. */
  answeredAt: number | undefined;
  /** Reads now (after an action), without waiting for the next tick. */
  refresh: () => void;
}

export interface PollOptions {
  /** Read again every ~2 s (the default); false: read once, then on `refreshKey` changes. */
  live?: boolean;
  /** A new value reads again (keeping what is shown until the answer), as `refresh()` does. */
  refreshKey?: string;
}

/**
 * Polls with `read` as long as the component is shown. `key` names what is
 * read (undefined: nothing to read); a new key forgets the old data.
 */
export function usePollWith<T>(
  key: string | undefined,
  read: (signal: AbortSignal) => Promise<Read<T>>,
  options: PollOptions = {},
): Polled<T> {
  const live = options.live ?? true;
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | Error | undefined>(undefined);
  const [answeredAt, setAnsweredAt] = useState<number | undefined>(undefined);
  const tick = useRef<() => void>(() => {});
  const reader = useRef(read);
  reader.current = read;
  const shownKey = useRef<string | undefined>(undefined);

  useEffect(() => {
    // Only a change of what is read clears the view; a refresh keeps it until the answer.
    if (shownKey.current !== key) {
      shownKey.current = key;
      setData(undefined);
      setError(undefined);
    }
    if (key === undefined) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let controller: AbortController | undefined;
    const once = async () => {
      clearTimeout(timer);
      controller?.abort();
      controller = new AbortController();
      try {
        const { value, changed } = await reader.current(controller.signal);
        if (stopped) return;
        if (changed) setData(value);
        else setData((old) => old ?? value);
        setError(undefined);
        setAnsweredAt(Date.now());
      } catch (e) {
        if (stopped || (e instanceof DOMException && e.name === 'AbortError')) return;
        setError(e instanceof Error ? e : new Error(String(e)));
      }
      if (live && !stopped && !document.hidden) timer = setTimeout(once, pollIntervalMs);
    };
    const onVisibility = () => {
      if (document.hidden) clearTimeout(timer);
      else if (live) void once();
    };
    tick.current = () => void once();
    document.addEventListener('visibilitychange', onVisibility);
    void once();
    return () => {
      stopped = true;
      clearTimeout(timer);
      controller?.abort();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [key, live, options.refreshKey]);

  const refresh = useCallback(() => tick.current(), []);
  return { data, error, answeredAt, refresh };
}

/** Polls GET `path` (undefined: nothing to read) as long as the component is shown. */
export function usePoll<T>(path: string | undefined, options: PollOptions = {}): Polled<T> {
  return usePollWith<T>(path, (signal) => getJson<T>(path ?? '', signal), options);
}

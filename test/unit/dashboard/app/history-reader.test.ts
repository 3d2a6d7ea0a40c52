import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { historyReader } from '../../../../dashboard/app/history-reader.js';

/**
 * The history route as the API answers it: oldest first, `limit` events a
 * page, and a `nextToken` (the last event's place) only when more follow.
 */
function historyRoute(events: { at: string; type: string }[]) {
  const asked: (string | null)[] = [];
  const fetchStub = async (input: string) => {
    const url = new URL(input, 'http://127.0.0.1');
    const token = url.searchParams.get('nextToken');
    asked.push(token);
    const limit = Number(url.searchParams.get('limit'));
    const from = token === null ? 0 : Number(token);
    const items = events.slice(from, from + limit);
    const next = from + limit < events.length ? String(from + limit) : undefined;
    return new Response(JSON.stringify({ items, ...(next && { nextToken: next }) }), {
      headers: { 'content-type': 'application/json' },
    });
  };
  return { asked, fetchStub };
}

const event = (i: number) => ({ at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), type: `E${i}` });

describe('reading a release history longer than a page', () => {
  beforeEach(() => {
    const store = new Map<string, string>();
    vi.stubGlobal('sessionStorage', {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => store.set(k, v),
      removeItem: (k: string) => store.delete(k),
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('follows nextToken to the newest event, then polls from the last page on', async () => {
    const events = Array.from({ length: 1203 }, (_, i) => event(i));
    const route = historyRoute(events);
    vi.stubGlobal('fetch', route.fetchStub);
    const read = historyReader('/releases/long');
    const first = await read(new AbortController().signal);
    expect(first.changed).toBe(true);
    expect(first.value).toHaveLength(1203);
    expect(first.value.at(-1)?.type).toBe('E1202');
    expect(route.asked).toEqual([null, '500', '1000']);

    // Nothing new: one read, of the last page only, and no change.
    route.asked.length = 0;
    const same = await read(new AbortController().signal);
    expect(same.changed).toBe(false);
    expect(route.asked).toEqual(['1000']);

    // Newer events, past another page boundary: read from the last page, and on.
    events.push(...Array.from({ length: 400 }, (_, i) => event(1203 + i)));
    route.asked.length = 0;
    const grown = await read(new AbortController().signal);
    expect(grown.changed).toBe(true);
    expect(grown.value).toHaveLength(1603);
    expect(grown.value.at(-1)?.type).toBe('E1602');
    expect(route.asked).toEqual(['1000', '1500']);
  });
});

/**
 * The in-memory file store (a stack without --data-dir): memory grows with
 * the bytes that arrive, never with a header's promise, and the store holds
 * at most its budget, uploads in flight included, so a few large uploads
 * cannot exhaust the stack's memory.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MemoryFileStore, StoreFullError } from '../../../local/files/file-store.js';

const body = (bytes: number) => Readable.from([Buffer.alloc(bytes, 1)]);

describe('the in-memory file store', () => {
  it('refuses an upload it has no room for, counting uploads in flight, and stores nothing', async () => {
    const store = new MemoryFileStore(100);
    await store.put('b', 'a', body(60), 60, 0);
    const never = new Readable({ read() {} });
    const inFlight = store.put('b', 'pending', never, 30, 0);
    await expect(store.put('b', 'c', body(20), 20, 0)).rejects.toBeInstanceOf(StoreFullError);
    expect(store.list().map((f) => f.key)).toEqual(['a']);
    never.destroy(new Error('client went away'));
    await expect(inFlight).rejects.toThrow('client went away');
    // The aborted upload gave its room back; replacing a file reuses the room of the old one.
    await store.put('b', 'c', body(40), 40, 0);
    await store.put('b', 'a', body(60), 60, 0);
    expect(store.list().map((f) => [f.key, f.size])).toEqual([
      ['a', 60],
      ['c', 40],
    ]);
  });

  it('refuses a body longer or shorter than announced, and keeps the room free', async () => {
    const store = new MemoryFileStore(100);
    await expect(store.put('b', 'long', body(11), 10, 0)).rejects.toThrow('longer');
    await expect(store.put('b', 'short', body(9), 10, 0)).rejects.toThrow('ended');
    await store.put('b', 'full', body(100), 100, 0);
    expect(store.list()).toHaveLength(1);
  });
});

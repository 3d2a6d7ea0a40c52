/** mapLimited: order, the limit, and a rejection that waits for the calls still running. */
import { describe, expect, it } from 'vitest';
import { mapLimited } from '../../../lib/domain/map-limited.js';

/** A promise and the functions that settle it. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('mapLimited', () => {
  it('answers in the order of the items with at most `limit` calls pending', async () => {
    let pending = 0;
    let most = 0;
    const out = await mapLimited([5, 4, 3, 2, 1, 0], 2, async (n) => {
      pending++;
      most = Math.max(most, pending);
      for (let i = 0; i < n; i++) await Promise.resolve();
      pending--;
      return n * 10;
    });
    expect(out).toEqual([50, 40, 30, 20, 10, 0]);
    expect(most).toBe(2);
  });

  it('rejects only once the calls already started have settled, and starts none after a failure', async () => {
    const slow = deferred<string>();
    const started: number[] = [];
    const events: string[] = [];
    const whole = mapLimited([0, 1, 2, 3], 2, async (i) => {
      started.push(i);
      if (i === 0) return slow.promise.finally(() => events.push('slow settled'));
      throw new Error(`call ${i} failed`);
    });
    const outcome = whole.then(
      () => 'resolved',
      (error: Error) => {
        events.push('whole rejected');
        return error.message;
      },
    );
    // Let the failing call and the worker loops run: the whole must still be waiting for call 0.
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(events).toEqual([]);
    slow.resolve('late');
    expect(await outcome).toBe('call 1 failed');
    expect(events).toEqual(['slow settled', 'whole rejected']);
    expect(started).toEqual([0, 1]);
  });
});

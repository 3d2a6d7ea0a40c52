import { describe, expect, it } from 'vitest';
import { Wakeup } from '../../../examples/device-agent/wakeup.js';

describe("the device agent's wake-up between notify-next and the job loop", () => {
  it('wakes a waiter on a ring', async () => {
    const wake = new Wakeup();
    const waited = wake.wait(new AbortController().signal);
    wake.ring();
    await expect(waited).resolves.toBeUndefined();
  });

  it('keeps a ring that came while nobody waited, once', async () => {
    const wake = new Wakeup();
    wake.ring();
    await wake.wait(new AbortController().signal);
    const order: string[] = [];
    const second = wake.wait(new AbortController().signal).then(() => order.push('woken'));
    order.push('still waiting');
    wake.ring();
    await second;
    expect(order).toEqual(['still waiting', 'woken']);
  });

  it('forgets a kept ring on clear (the start-next that follows answers for it)', async () => {
    const wake = new Wakeup();
    wake.ring();
    wake.clear();
    const stop = new AbortController();
    let woken = false;
    const waited = wake.wait(stop.signal).then(() => {
      woken = true;
    });
    await Promise.resolve();
    expect(woken).toBe(false);
    stop.abort();
    await waited;
    expect(woken).toBe(true);
  });

  it('returns at once when already stopped', async () => {
    const stop = new AbortController();
    stop.abort();
    await expect(new Wakeup().wait(stop.signal)).resolves.toBeUndefined();
  });
});

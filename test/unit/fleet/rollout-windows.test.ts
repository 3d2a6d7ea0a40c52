import { describe, expect, it } from 'vitest';
import { RolloutWindows } from '../../../local/fleet/rollout-windows.js';

const at = (iso: string) => Date.parse(iso);

describe('the rollout gate of a job with maintenance windows', () => {
  it('is open inside a window, and closed outside it until the next opening', () => {
    const gate = new RolloutWindows([{ startTime: 'cron(0 2 * * ? *)', durationInMinutes: 60 }]);
    expect(gate.gate(at('2026-01-01T02:00Z'))).toEqual({ open: true });
    expect(gate.gate(at('2026-01-01T02:59:59Z'))).toEqual({ open: true });
    expect(gate.gate(at('2026-01-01T03:00Z'))).toEqual({ open: false, opensAt: at('2026-01-02T02:00Z') });
    expect(gate.gate(at('2026-01-01T01:00Z'))).toEqual({ open: false, opensAt: at('2026-01-01T02:00Z') });
  });

  it('says when no window opens again', () => {
    const gate = new RolloutWindows([{ startTime: 'cron(0 0 1 1 ? 2020)', durationInMinutes: 30 }]);
    expect(gate.gate(at('2026-01-01T00:00Z'))).toEqual({ open: false, opensAt: undefined });
  });

  it('stays open through minute-long windows that touch, second after second, past its one-hour look-ahead', () => {
    const gate = new RolloutWindows([{ startTime: 'cron(* * * * ? *)', durationInMinutes: 1 }]);
    const from = at('2026-01-01T00:00Z');
    const closedAt: number[] = [];
    for (let t = from; t < from + 3 * 3_600_000; t += 1000) if (!gate.gate(t).open) closedAt.push(t);
    expect(closedAt).toEqual([]);
  });
});

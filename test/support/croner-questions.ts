/**
 * Records the pattern of every croner instance asked for a next or previous run, so a
 * test can tell what the cron arithmetic searched (how many questions, over
 * which years) without timing it.
 */
import { Cron } from 'croner';
import { vi } from 'vitest';

/** The patterns asked so far, and how to stop recording. */
export interface CronerQuestions {
  readonly patterns: string[];
  restore(): void;
}

/** Starts recording `Cron.prototype.nextRun` and `previousRuns` calls; call `restore()` when done. */
export function recordCronerQuestions(): CronerQuestions {
  const patterns: string[] = [];
  const nextRun = Cron.prototype.nextRun;
  const previousRuns = Cron.prototype.previousRuns;
  const spies = [
    vi.spyOn(Cron.prototype, 'nextRun').mockImplementation(function (this: Cron, prev) {
      patterns.push(this.getPattern() ?? '');
      return nextRun.call(this, prev);
    }),
    vi.spyOn(Cron.prototype, 'previousRuns').mockImplementation(function (this: Cron, n, ref) {
      patterns.push(this.getPattern() ?? '');
      return previousRuns.call(this, n, ref);
    }),
  ];
  const restore = () => {
    for (const spy of spies) spy.mockRestore();
  };
  return { patterns, restore };
}

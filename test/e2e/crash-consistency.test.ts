/**
 * Crash consistency: the local stack (`npm start --data-dir`) runs releases
 * of every shape at once (percentage waves, group waves, a bake, approval
 * gates answered approve and reject, a failing cohort, a cancel), is killed
 * with SIGKILL at seeded moments (during start-up, mid-run, while a gate
 * waits for its answer) and started again on the same data dir, then left
 * to finish. Each promise a crash must not break is one test below.
 *
 * The seed is `FLEETWAVE_CRASH_SEED` (default `crash-1`) and is printed; the
 * longer run over many seeds is `npx tsx bench/crash.ts`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CrashRunReport,
  crashRunDefaults,
  reportLines,
  runCrashScenario,
} from '../support/crash/crash-run.js';
import { invariantNames } from '../support/crash/invariants.js';
import { crashSeedFromEnv } from '../support/crash/kill-schedule.js';

const seed = crashSeedFromEnv();

describe(`crash consistency: ${seed}, 4 kills`, () => {
  let report: CrashRunReport;

  beforeAll(async () => {
    report = await runCrashScenario({
      seed,
      kills: 4,
      ...crashRunDefaults,
      log: (line) => console.log(line),
    });
    console.log(reportLines(report).join('\n'));
    // Wall time is mostly the handlers' own work on a shared 2-core machine (about 50 s alone): room for a loaded one.
  }, 400_000);

  const holds = (invariant: string) => {
    const result = report.results.find((r) => r.invariant === invariant);
    expect(result, `${invariant} was not checked (the last life did not start?)`).toBeDefined();
    expect(result?.checked, `${invariant} looked at nothing`).toBeGreaterThan(0);
    expect(result?.failures, `${invariant}, seed ${seed}`).toEqual([]);
  };

  it('kills the stack during start-up and while it runs, as planned', () => {
    expect(report.killPoints).toHaveLength(4);
    expect(
      report.killPoints.some((k) => k.duringStartUp),
      'no kill fell before the banner',
    ).toBe(true);
    const setUpProblems = report.results.filter((r) => r.invariant.startsWith('0 '));
    expect(setUpProblems.flatMap((r) => r.failures)).toEqual([]);
  });

  it('every release ends with the status its shape expects', () => holds(invariantNames.terminal));
  it('exactly one IoT job per started wave, with the deterministic id', () =>
    holds(invariantNames.oneJobPerWave));
  it('percentage cohorts are disjoint and exact', () => holds(invariantNames.cohorts));
  it('history is complete and ordered, no transition twice', () => holds(invariantNames.history));
  it('every approve, reject and cancel answer is true to the state', () => holds(invariantNames.answers));
  it('no execution is left QUEUED or IN_PROGRESS once the releases ended', () =>
    holds(invariantNames.stranded));
  it('no unhandled error in the stack log', () => holds(invariantNames.log));
});

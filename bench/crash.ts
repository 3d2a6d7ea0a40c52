/**
 * Benchmark: crash consistency over several seeds. For each seed the local
 * stack (`npm start --data-dir`) runs releases of every shape at once and is
 * killed with SIGKILL K times (a third of the kills during start-up, a third
 * while an approval gate waits for its answer), restarted on the same data
 * dir each time, then left to finish; the seven invariants are checked on
 * what is left. Prints each kill point (seed, moment, what was running) and
 * each invariant with its result; the figures are how many runs broke each.
 *
 *   npx tsx bench/crash.ts [--seeds N] [--kills K]     (or `npm run bench -- crash`)
 *
 * The seeds are `crash-1` … `crash-N`, or with `FLEETWAVE_CRASH_SEED=S` set: `S`, `S-2` … `S-N`.
 * A breach is a finding, not a benchmark failure: the exit code is 0 unless a run could not be made.
 */
import { parseArgs } from 'node:util';
import { crashRunDefaults, reportLines, runCrashScenario } from '../test/support/crash/crash-run.js';
import { invariantNames } from '../test/support/crash/invariants.js';
import { crashSeedFromEnv } from '../test/support/crash/kill-schedule.js';
import { reportResult } from './support/bench-result.js';

const { values } = parseArgs({
  options: { seeds: { type: 'string', default: '3' }, kills: { type: 'string', default: '6' } },
});
const seedCount = Number(values.seeds);
const kills = Number(values.kills);
if (!Number.isInteger(seedCount) || seedCount < 1 || !Number.isInteger(kills) || kills < 0) {
  console.error('Usage: npx tsx bench/crash.ts [--seeds N>=1] [--kills K>=0]');
  process.exit(64);
}

const first = crashSeedFromEnv();
// The default seed is `crash-1`: its followers are `crash-2`, …; another seed S is followed by `S-2`, ….
const stem = first === 'crash-1' ? 'crash' : first;
const seeds = [first, ...Array.from({ length: seedCount - 1 }, (_, i) => `${stem}-${i + 2}`)];
const breaches = new Map<string, string[]>(Object.values(invariantNames).map((name) => [name, []]));
let killCount = 0;
let startUpKills = 0;
let wallMs = 0;
for (const seed of seeds) {
  console.log(`\n== seed ${seed}, ${kills} kills`);
  const report = await runCrashScenario({
    seed,
    kills,
    ...crashRunDefaults,
    log: (line) => console.log(line),
  });
  console.log(reportLines(report).join('\n'));
  killCount += report.killPoints.length;
  startUpKills += report.killPoints.filter((k) => k.duringStartUp).length;
  wallMs += report.wallMs;
  for (const result of report.results) {
    if (result.failures.length > 0)
      breaches.set(result.invariant, [...(breaches.get(result.invariant) ?? []), seed]);
  }
}

console.log(`\n${seeds.length} seed(s), ${killCount} kills (${startUpKills} during start-up):`);
for (const [invariant, failedSeeds] of breaches)
  console.log(
    `  ${invariant}: ${failedSeeds.length === 0 ? 'held in every run' : `BROKEN with ${failedSeeds.join(', ')}`}`,
  );

reportResult({
  benchmark: 'crash',
  description: `${seeds.length} seeds (${seeds.join(', ')}), ${kills} SIGKILLs each, seven releases of different shapes; figures are runs that broke an invariant`,
  figures: [
    { name: 'kills', value: killCount, unit: '' },
    { name: 'kills during start-up', value: startUpKills, unit: '' },
    { name: 'wall time per run', value: Math.round(wallMs / seeds.length / 100) / 10, unit: 's' },
    ...[...breaches].map(([invariant, failedSeeds]) => ({
      name: `runs breaking ${invariant}`,
      value: failedSeeds.length,
      unit: `of ${seeds.length}`,
      goal: '0',
    })),
  ],
});

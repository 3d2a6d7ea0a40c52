/**
 * Benchmark: what a wave with dense maintenance windows (one minute every
 * five) costs the workflow when its devices hang: how many CheckWave looks
 * (each about 11 history events and a DescribeJob) its whole life takes,
 * over how many virtual days, and the Lambda time of its tasks; and what
 * one deadline costs to compute (once per wave clock start). Goal: looks in
 * the tens, far from the execution's 25,000 history events.
 *
 *   npx tsx bench/wave-looks.ts      (or `npm run bench -- wave-looks`)
 */
import { ZERO_COUNTS } from '../lib/domain/wave-progress.js';
import { waveDeadlineInWindows } from '../lib/domain/wave-window.js';
import { checkWave } from '../lib/workflow/check-wave.js';
import type { WorkflowState } from '../lib/workflow/workflow-state.js';
import { fakeWorkflow, firstWaveStarted, NOW } from '../test/unit/workflow/fakes.js';
import { reportResult } from './support/bench-result.js';

const DENSE = [{ startTime: 'cron(0/5 * * * ? *)', durationInMinutes: 1 }];
const DAY_MS = 86_400_000;

async function hungWaveLife(timeoutMinutes: number) {
  const deps = fakeWorkflow();
  const started = performance.now();
  let state: WorkflowState = await firstWaveStarted(deps, {
    schedulingConfig: { maintenanceWindows: DENSE },
    waves: [{ targets: { things: ['t1', 't2'] }, timeoutMinutes }],
  });
  deps.jobs.progress('r1-w01', {
    counts: { ...ZERO_COUNTS, numberOfInProgressThings: 1, numberOfQueuedThings: 1 },
  });
  let nowMs = Date.parse(NOW);
  let looks = 0;
  while (state.next === 'poll') {
    nowMs += (state.poll?.safetyNetSeconds ?? 0) * 1000;
    state = await checkWave(deps, { state, now: new Date(nowMs).toISOString() });
    looks++;
  }
  return {
    looks,
    days: Math.round(((nowMs - Date.parse(NOW)) / DAY_MS) * 10) / 10,
    ms: Math.round(performance.now() - started),
    outcome: state.failure?.waveStatus ?? state.next,
  };
}

function deadlineMs(timeoutMinutes: number): number {
  const started = performance.now();
  waveDeadlineInWindows(Date.parse(NOW), timeoutMinutes, DENSE);
  return Math.round(performance.now() - started);
}

const life = await hungWaveLife(1440);
const deadline10080 = deadlineMs(10_080);
console.log(
  `hung wave, 1440-min timeout, 1-min windows every 5: ${life.looks} looks over ${life.days} virtual days (${life.outcome}), ${life.ms} ms of task time`,
);
console.log(`one deadline, 10,080-min timeout, same windows: ${deadline10080} ms`);

reportResult({
  benchmark: 'wave-looks',
  description: 'CheckWave looks of a hung wave in dense maintenance windows, and the cost of its deadline',
  figures: [
    {
      name: 'CheckWave looks, whole life, 1440-min timeout, 1-min windows every 5',
      value: life.looks,
      unit: 'looks',
      goal: '< 100',
    },
    { name: 'virtual days of that life', value: life.days, unit: 'days' },
    { name: 'task time of that life (StartWave + every CheckWave)', value: life.ms, unit: 'ms' },
    { name: 'one deadline, 10,080-min timeout, same windows', value: deadline10080, unit: 'ms' },
  ],
});

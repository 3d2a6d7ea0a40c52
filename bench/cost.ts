/**
 * Benchmark: what watching a wave costs. A release of two 100-thing waves
 * whose devices take about 10 minutes, 2 hours, 24 hours and 7 days runs
 * through the real release workflow on the local stack (clock in max mode)
 * three ways, all measured:
 *
 * - `events`: the release machine as deployed: each wave sleeps in
 *   WaitForProgress until its IoT job events wake it, with the safety net;
 * - `adaptive`: the same machine with WaitForProgress replaced by a `Wait`
 *   of the adaptive poll (`$.poll.waitSeconds`: 15 s after a change,
 *   doubling while nothing moves), job events unused;
 * - `fixed 30 s`: that polling machine with every poll wait forced to 30 s.
 *
 * For each run it prints, per wave, the state transitions (what AWS bills a
 * STANDARD workflow for, about $25 per million), the history events (an
 * execution fails past 25,000) and the DescribeJob calls (IoT's control
 * plane allows about 10 per second per account, shared by every release),
 * and the virtual time from wave 1's job completing to wave 2's CreateJob.
 *
 *   npx tsx bench/cost.ts      (or `npm run bench -- cost`)
 */

import type { WorkflowState } from '../lib/workflow/workflow-state.js';
import { VirtualClock } from '../local/clock/virtual-clock.js';
import { type LocalStack, startLocalStack } from '../local/endpoints.js';
import { projectRoot, readServerlessYml } from '../local/serverless-yml.js';
import type { TaskHandler } from '../local/stepfunctions/index.js';
import { stateMachinesOf } from '../local/workflow/index.js';
import { clientsFor, createTemplate, startRelease } from '../test/support/workflow.js';
import { reportResult } from './support/bench-result.js';

const WAVE_SIZE = 100;
const WAVES = 2;
const FIXED_POLL_SECONDS = 30;
const TRANSITION_PRICE = 25 / 1_000_000;
const HISTORY_LIMIT = 25_000;

interface Scenario {
  label: string;
  /** Median time a device takes to run the job. */
  runSeconds: number;
  /** The waves' timeout: about twice what they take. */
  timeoutMinutes: number;
}

const scenarios: Scenario[] = [
  { label: '~10 min', runSeconds: 600, timeoutMinutes: 60 },
  { label: '~2 h', runSeconds: 7200, timeoutMinutes: 300 },
  { label: '~24 h', runSeconds: 86_400, timeoutMinutes: 2880 },
  { label: '~7 days', runSeconds: 604_800, timeoutMinutes: 20_160 },
];

const policies = ['fixed 30 s', 'adaptive', 'events'] as const;
type Policy = (typeof policies)[number];

interface Run {
  scenario: string;
  policy: Policy;
  waveMinutes: number;
  transitions: number;
  historyEvents: number;
  describeJobCalls: number;
  /** Virtual seconds from wave 1's job completing to wave 2's CreateJob. */
  handoverSeconds: number;
  wallMs: number;
}

/** The release machine with WaitForProgress turned into a plain `Wait` of the adaptive poll. */
function pollingDefinition(definition: string): string {
  const asl = JSON.parse(definition) as { States: Record<string, unknown> };
  asl.States.WaitForProgress = {
    Type: 'Wait',
    Comment: 'Polling baseline: the adaptive (or forced) poll wait, no job events.',
    SecondsPath: '$.poll.waitSeconds',
    Next: 'CheckWave',
  };
  return JSON.stringify(asl);
}

/** Registers a polling variant of the release machine; returns its ARN. */
async function registerPollingMachine(stack: LocalStack, policy: Policy): Promise<string> {
  const yml = await readServerlessYml(projectRoot);
  const machine = stateMachinesOf(yml, projectRoot, {
    region: stack.region,
    accountId: stack.accountId,
    stage: 'local',
  }).find((m) => m.logicalId === 'ReleaseStateMachine');
  if (!machine) throw new Error('serverless.yml declares no ReleaseStateMachine');
  const fixed = (handler: TaskHandler): TaskHandler => {
    return async (event, context) => {
      const out = (await handler(event, context)) as WorkflowState;
      return out.next === 'poll' ? { ...out, poll: { waitSeconds: FIXED_POLL_SECONDS } } : out;
    };
  };
  return stack.sfn.registerStateMachine({
    name: `fleetwave-local-release-${policy === 'adaptive' ? 'adaptive' : 'fixed'}-poll`,
    definition: pollingDefinition(machine.definition),
    substitutions: machine.substitutions,
    resolveTask: (arn) => {
      const fn = machine.functions.get(arn);
      if (!fn) return undefined;
      const handler = stack.workflow.tasks.handlerFor(fn.handler);
      const forced = policy === 'fixed 30 s' && (fn.key === 'checkWave' || fn.key === 'startWave');
      return forced ? fixed(handler) : handler;
    },
  }).stateMachineArn;
}

async function runOnce(scenario: Scenario, policy: Policy): Promise<Run> {
  const began = performance.now();
  const stack = await startLocalStack({
    clock: new VirtualClock({ start: Date.UTC(2026, 0, 1), mode: { kind: 'max' } }),
    logLevel: 'ERROR',
    fleet: { size: WAVE_SIZE, canaryShare: 0 },
    profiles: {
      default: {
        outcomes: {},
        startLatency: { medianSeconds: 5, spread: 0.3 },
        runLatency: { medianSeconds: scenario.runSeconds, spread: 0.1 },
      },
    },
  });
  const clients = clientsFor(stack);
  try {
    await createTemplate(clients, 'fw-bench');
    // A fault that never fires counts the DescribeJob calls.
    const counter = stack.iot.faults.add({ operation: 'DescribeJob', error: 'ThrottlingException', rate: 0 });
    // Polling baselines have no job events: nothing listens to them.
    if (policy !== 'events') stack.jobEvents.drop = () => true;
    const machineArn =
      policy === 'events' ? stack.stateMachineArn : await registerPollingMachine(stack, policy);
    const releaseId = `cost-${scenario.runSeconds}`;
    const wave = { targets: { thingGroups: ['fleet'] }, timeoutMinutes: scenario.timeoutMinutes };
    const { executionArn } = await startRelease({ ...stack, stateMachineArn: machineArn }, clients, {
      releaseId,
      jobTemplateId: 'fw-bench',
      waves: Array.from({ length: WAVES }, () => wave),
    });
    const status = await stack.sfn.whenExecutionClosed(executionArn);
    if (status !== 'SUCCEEDED') throw new Error(`${scenario.label}/${policy}: the execution ended ${status}`);
    const { waves } = await clients.repository.getRelease(releaseId);
    const jobs = waves.map((w) => stack.iot.jobs.getJob(w.jobId ?? ''));
    const stats = stack.sfn.getExecutionStats(executionArn);
    const first = waves[0];
    return {
      scenario: scenario.label,
      policy,
      waveMinutes: (Date.parse(first?.finishedAt ?? '') - Date.parse(first?.startedAt ?? '')) / 60_000,
      transitions: (stats?.stateTransitions ?? 0) / WAVES,
      historyEvents: (stats?.historyEvents ?? 0) / WAVES,
      describeJobCalls: (stack.iot.faults.list().find((f) => f.id === counter.id)?.matched ?? 0) / WAVES,
      handoverSeconds: ((jobs[1]?.createdAt ?? 0) - (jobs[0]?.completedAt ?? 0)) / 1000,
      wallMs: performance.now() - began,
    };
  } finally {
    clients.destroy();
    await stack.close();
  }
}

// `npx tsx bench/cost.ts '~2 h'` runs only the named lengths.
const only = process.argv.slice(2);
const runs: Run[] = [];
for (const scenario of scenarios.filter((s) => only.length === 0 || only.includes(s.label))) {
  for (const policy of policies) runs.push(await runOnce(scenario, policy));
}

const round = (n: number) => String(Math.round(n));
const header = [
  'devices take',
  'watching',
  'wave (virtual min)',
  'transitions / wave',
  'DescribeJob / wave',
  'history events / wave',
  'transition cost / wave',
  'job done → next CreateJob',
  'wall s',
];
console.log(
  `\nReleases of ${WAVES} waves of ${WAVE_SIZE} things, figures per wave (the execution's divided by ${WAVES}), clock in max mode:\n`,
);
console.log(`| ${header.join(' | ')} |`);
console.log(`| ${header.map((_, i) => (i < 2 ? '---' : '---:')).join(' | ')} |`);
for (const r of runs) {
  const executionHistory = r.historyEvents * WAVES;
  const row = [
    r.scenario,
    r.policy,
    r.waveMinutes.toFixed(1),
    round(r.transitions),
    round(r.describeJobCalls),
    `${round(r.historyEvents)}${executionHistory > HISTORY_LIMIT ? ' (execution over the AWS limit)' : ''}`,
    `$${(r.transitions * TRANSITION_PRICE).toFixed(5)}`,
    `${r.handoverSeconds.toFixed(0)} s`,
    (r.wallMs / 1000).toFixed(1),
  ];
  console.log(`| ${row.join(' | ')} |`);
}
console.log(
  '\nGoals: with events, ≤ 40 transitions per wave whatever its length; a 7-day wave far below 25,000 history events; job done → next CreateJob within one task round trip (0 s of virtual time locally).',
);

reportResult({
  benchmark: 'cost',
  description: `Releases of ${WAVES} ${WAVE_SIZE}-thing waves: fixed ${FIXED_POLL_SECONDS} s poll, adaptive poll, and IoT job events with a safety net (all measured, per wave)`,
  figures: runs.flatMap((r) => [
    {
      name: `${r.scenario}, ${r.policy}: state transitions per wave`,
      value: Math.round(r.transitions),
      unit: 'transitions',
      ...(r.policy === 'events' && { goal: '≤ 40' }),
    },
    {
      name: `${r.scenario}, ${r.policy}: history events per wave`,
      value: Math.round(r.historyEvents),
      unit: 'events',
      ...(r.policy === 'events' && r.scenario === '~7 days' && { goal: '≪ 25,000' }),
    },
    {
      name: `${r.scenario}, ${r.policy}: DescribeJob calls per wave`,
      value: Math.round(r.describeJobCalls),
      unit: 'calls',
    },
    {
      name: `${r.scenario}, ${r.policy}: job done → next CreateJob`,
      value: Math.round(r.handoverSeconds),
      unit: 's (virtual)',
      ...(r.policy === 'events' && { goal: 'one task round trip' }),
    },
  ]),
});

/**
 * Benchmark: what watching one wave costs. A 100-thing wave whose devices
 * take about 10 minutes, about 2 hours and about 24 hours to finish runs
 * through the real release workflow on the local stack (clock in max mode),
 * once with fleetwave's adaptive wait and once with a fixed 30-second
 * polling loop. The fixed loop is measured, not computed: the same state
 * machine runs with its CheckWave and StartWave answers' waits set to 30 s.
 *
 * For each run it prints the execution's state transitions (what AWS bills
 * a STANDARD workflow for, about $25 per million), its history events
 * (an execution fails past 25,000), and the DescribeJob calls made (IoT's
 * control plane allows about 10 per second per account, shared by every
 * release).
 *
 *   npx tsx bench/cost.ts      (or `npm run bench -- cost`)
 */

import type { WorkflowState } from '../lib/workflow/workflow-state.js';
import { VirtualClock } from '../local/clock/virtual-clock.js';
import { projectRoot, readServerlessYml } from '../local/http-api/serverless-yml.js';
import { type LocalStack, startLocalStack } from '../local/stack.js';
import type { TaskHandler } from '../local/stepfunctions/index.js';
import { stateMachinesOf } from '../local/workflow/index.js';
import { clientsFor, createTemplate, startRelease } from '../test/support/workflow.js';
import { reportResult } from './support/bench-result.js';

const WAVE_SIZE = 100;
const FIXED_POLL_SECONDS = 30;
const TRANSITION_PRICE = 25 / 1_000_000;

interface Scenario {
  label: string;
  /** Median time a device takes to run the job. */
  runSeconds: number;
}

const scenarios: Scenario[] = [
  { label: '~10 min', runSeconds: 600 },
  { label: '~2 h', runSeconds: 7200 },
  { label: '~24 h', runSeconds: 86_400 },
];

type Policy = 'adaptive' | 'fixed 30 s';

interface Run {
  scenario: string;
  policy: Policy;
  waveMinutes: number;
  transitions: number;
  historyEvents: number;
  describeJobCalls: number;
  wallMs: number;
}

/** Registers the release machine again with every poll wait forced to 30 s; returns its ARN. */
async function registerFixedPollMachine(stack: LocalStack): Promise<string> {
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
    name: 'fleetwave-local-release-fixed-poll',
    definition: machine.definition,
    substitutions: machine.substitutions,
    resolveTask: (arn) => {
      const fn = machine.functions.get(arn);
      if (!fn) return undefined;
      const handler = stack.workflow.tasks.handlerFor(fn.handler);
      return fn.key === 'checkWave' || fn.key === 'startWave' ? fixed(handler) : handler;
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
    const machineArn = policy === 'adaptive' ? stack.stateMachineArn : await registerFixedPollMachine(stack);
    const releaseId = `cost-${scenario.runSeconds}`;
    const { executionArn } = await startRelease({ ...stack, stateMachineArn: machineArn }, clients, {
      releaseId,
      jobTemplateId: 'fw-bench',
      // 40 hours: the adaptive wait keeps its 300 s cap (waves over ~42 h get a longer one).
      waves: [{ targets: { thingGroups: ['fleet'] }, timeoutMinutes: 2400 }],
    });
    const status = await stack.sfn.whenExecutionClosed(executionArn);
    if (status !== 'SUCCEEDED') throw new Error(`${scenario.label}/${policy}: the execution ended ${status}`);
    const wave = await clients.repository.getWave(releaseId, 1);
    const stats = stack.sfn.getExecutionStats(executionArn);
    return {
      scenario: scenario.label,
      policy,
      waveMinutes: (Date.parse(wave.finishedAt ?? '') - Date.parse(wave.startedAt ?? '')) / 60_000,
      transitions: stats?.stateTransitions ?? 0,
      historyEvents: stats?.historyEvents ?? 0,
      describeJobCalls: stack.iot.faults.list().find((f) => f.id === counter.id)?.matched ?? 0,
      wallMs: performance.now() - began,
    };
  } finally {
    clients.destroy();
    await stack.close();
  }
}

const runs: Run[] = [];
for (const scenario of scenarios) {
  for (const policy of ['adaptive', 'fixed 30 s'] as const) runs.push(await runOnce(scenario, policy));
}

const rows = runs.map((r) => [
  r.scenario,
  r.policy,
  r.waveMinutes.toFixed(1),
  String(r.transitions),
  String(r.describeJobCalls),
  `${r.historyEvents}${r.historyEvents > 25_000 ? ' (over AWS limit)' : ''}`,
  `$${(r.transitions * TRANSITION_PRICE).toFixed(5)}`,
  (r.wallMs / 1000).toFixed(1),
]);
const header = [
  'devices take',
  'polling',
  'wave (virtual min)',
  'state transitions',
  'DescribeJob calls',
  'history events',
  'transition cost',
  'wall s',
];
console.log(
  `\nOne ${WAVE_SIZE}-thing wave, whole release execution (start, wave, finish), clock in max mode:\n`,
);
console.log(`| ${header.join(' | ')} |`);
console.log(`| ${header.map((_, i) => (i < 2 ? '---' : '---:')).join(' | ')} |`);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);

reportResult({
  benchmark: 'cost',
  description: `One ${WAVE_SIZE}-thing wave watched by the release workflow: adaptive wait vs a fixed ${FIXED_POLL_SECONDS} s poll (measured)`,
  figures: runs.flatMap((r) => [
    {
      name: `${r.scenario}, ${r.policy}: state transitions`,
      value: r.transitions,
      unit: 'transitions',
    },
    { name: `${r.scenario}, ${r.policy}: DescribeJob calls`, value: r.describeJobCalls, unit: 'calls' },
  ]),
});

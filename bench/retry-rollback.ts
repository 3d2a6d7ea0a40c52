/**
 * Benchmark: what gathering a retry's and a rollback's things costs for a
 * 100,000-thing source release (two percentage waves, 10 % and 90 %; 2 %
 * of the executions FAILED, TIMED_OUT or REJECTED, 98 % SUCCEEDED), in IoT
 * calls per API, GatherTargets invocations, state transitions and virtual
 * time, under an IoT call budget of 10 calls per second per API (AWS's
 * ListJobExecutionsForJob rate) and under fleetwave's default budget.
 *
 * The real task runs: the GatherTargets handler (`pacedWorkflowTask`, the
 * workflow state and its cursor, `PacedError` and the pace wait) and the
 * real `IotCallBudget` admitting each ListJobExecutionsForJob call, on a
 * virtual clock. Around it: an in-memory release store, IoT jobs that list
 * the source's executions 250 a page, thing groups that count their calls,
 * and this loop standing in for the state machine (a task and its Choice,
 * plus a Wait when paced, are the transitions counted). Each IoT call is
 * taken to last {@link CALL_MS} ms, AddThingToThingGroup 8 in flight as the
 * task makes them: the time the adds take on AWS depends on that round trip,
 * the listing's on the budget.
 *
 *   npx tsx bench/retry-rollback.ts      (or `npm run bench -- retry-rollback`)
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { IotCallBudget } from '../lib/adapters/iot-call-budget.js';
import { currentIotCallScope } from '../lib/adapters/iot-call-scope.js';
import { resetConfig } from '../lib/config.js';
import { DEFAULT_CALLS_PER_SECOND } from '../lib/domain/call-pacing.js';
import { targetSetGroupName } from '../lib/domain/cohorts.js';
import { NotFoundError } from '../lib/domain/errors.js';
import { parseReleaseRequest } from '../lib/domain/release-request.js';
import { ZERO_COUNTS } from '../lib/domain/wave-progress.js';
import { gatherTargets, pagesPerInvocation } from '../lib/workflow/gather-targets.js';
import type { JobExecutionSummary, WorkflowDeps } from '../lib/workflow/ports.js';
import { pacedWorkflowTask } from '../lib/workflow/task-handler.js';
import { taskEventSchema, type WorkflowState } from '../lib/workflow/workflow-state.js';
import { maxInAnyWindow } from '../test/support/fleet.js';
import { MemoryReleaseStore } from '../test/support/memory-release-store.js';
import { reportResult } from './support/bench-result.js';

const THINGS = 100_000;
const PAGE = 250;
/** One IoT round trip on AWS, as this model takes it (also run at 0 ms: the budget alone). */
const CALL_MS = 20;
const ADD_IN_FLIGHT = 8;
const T0 = Date.UTC(2026, 0, 1);
const RETRY = ['FAILED', 'TIMED_OUT', 'REJECTED'];

process.env.AWS_REGION ??= 'us-east-1';
process.env.FLEETWAVE_IOT_BUDGET_CLOCK = 'event';
process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
resetConfig();

/** Thing i's execution: 1.4 % FAILED, 0.4 % TIMED_OUT, 0.2 % REJECTED, the rest SUCCEEDED. */
function statusOf(i: number): string {
  const r = i % 500;
  if (r < 7) return 'FAILED';
  if (r < 9) return 'TIMED_OUT';
  if (r < 10) return 'REJECTED';
  return 'SUCCEEDED';
}

/** The source's jobs: wave 1 takes the first 10 %, wave 2 the rest. */
function sourceJobs(): Map<string, JobExecutionSummary[]> {
  const jobs = new Map<string, JobExecutionSummary[]>([
    ['src-w01', []],
    ['src-w02', []],
  ]);
  for (let i = 0; i < THINGS; i++) {
    const jobId = i < THINGS / 10 ? 'src-w01' : 'src-w02';
    jobs.get(jobId)?.push({ thingName: `thing-${String(i).padStart(6, '0')}`, status: statusOf(i) });
  }
  return jobs;
}

/** The budget's one DynamoDB item per API, in memory: the two conditional updates IotCallBudget sends. */
function budgetTable(): DynamoDBDocumentClient {
  const next = new Map<string, number>();
  const refused = () => Object.assign(new Error('refused'), { name: 'ConditionalCheckFailedException' });
  const send = async (command: { input: Record<string, unknown> }) => {
    const input = command.input as {
      Key: { pk: string };
      UpdateExpression: string;
      ExpressionAttributeValues: Record<string, number>;
    };
    const values = input.ExpressionAttributeValues;
    const stored = next.get(input.Key.pk);
    const now = values[':now'] ?? 0;
    const stale = values[':stale'] ?? 0;
    if (input.UpdateExpression.includes(':restarted')) {
      if (stored !== undefined && stored >= now && stored <= stale) throw refused();
      next.set(input.Key.pk, values[':restarted'] ?? 0);
      return {};
    }
    if (stored === undefined || stored < now || stored > stale) throw refused();
    const moved = stored + (values[':interval'] ?? 0);
    next.set(input.Key.pk, moved);
    return { Attributes: { nextCallAt: moved } };
  };
  return { send } as unknown as DynamoDBDocumentClient;
}

interface Figures {
  calls: Record<string, number>;
  invocations: number;
  paced: number;
  transitions: number;
  virtualSeconds: number;
  things: number;
  /** The most ListJobExecutionsForJob calls in any second of virtual time. */
  peakListsPerSecond: number;
}

/** Gathers the set of `kind` with a budget of `callsPerSecond`; returns what it cost. */
async function gather(kind: 'retry' | 'rollback', callsPerSecond: number, callMs: number): Promise<Figures> {
  let clock = T0;
  const store = new MemoryReleaseStore(() => new Date(clock).toISOString());
  const jobs = sourceJobs();
  const budget = new IotCallBudget(budgetTable(), {
    tableName: 'bench',
    callsPerSecond,
    throttleRetryAfterSeconds: 1,
  });
  const calls: Record<string, number> = {
    DescribeJob: 0,
    ListJobExecutionsForJob: 0,
    CreateThingGroup: 0,
    AddThingToThingGroup: 0,
    ListThingsInThingGroup: 0,
  };
  let invocationMs = 0;
  const listedAt: number[] = [];
  const count = (api: string, ms: number) => {
    calls[api] = (calls[api] ?? 0) + 1;
    invocationMs += ms;
  };
  const members = new Set<string>();
  const deps: WorkflowDeps = {
    store,
    jobs: {
      create: async () => ({ created: false }),
      // The source's jobs have ended: every execution in a final status, none running.
      describe: async (jobId) => {
        const scope = currentIotCallScope();
        if (scope) await budget.admit('DescribeJob', scope);
        count('DescribeJob', callMs);
        if (!jobs.has(jobId)) throw new NotFoundError(`no ${jobId}`, jobId);
        return {
          jobId,
          jobArn: `arn:aws:iot:us-east-1:123456789012:job/${jobId}`,
          status: 'COMPLETED',
          targets: [],
          counts: { ...ZERO_COUNTS },
        };
      },
      cancel: async () => false,
      listExecutions: async () => [],
      listExecutionsPage: async (jobId, options = {}) => {
        const scope = currentIotCallScope();
        if (scope) await budget.admit('ListJobExecutionsForJob', scope);
        listedAt.push(clock + invocationMs);
        count('ListJobExecutionsForJob', callMs);
        const matching = (jobs.get(jobId) ?? []).filter((e) => e.status === options.status);
        const from = Number(options.nextToken ?? 0);
        return {
          executions: matching.slice(from, from + PAGE),
          ...(from + PAGE < matching.length && { nextToken: String(from + PAGE) }),
        };
      },
    },
    groups: {
      ensure: async () => count('CreateThingGroup', callMs),
      // One call per page of 250, as the adapter reads a group.
      listThings: async () => {
        for (let page = 0; page < Math.max(1, Math.ceil(members.size / PAGE)); page++) {
          count('ListThingsInThingGroup', callMs);
        }
        return [...members];
      },
      thingExists: async () => true,
      delete: async () => count('DeleteThingGroup', callMs),
      describe: async (name) => {
        count('DescribeThingGroup', callMs);
        return { description: `fleetwave release ${name}` };
      },
      addThing: async (_group, thing) => {
        members.add(thing);
        count('AddThingToThingGroup', callMs / ADD_IN_FLIGHT);
      },
    },
    templates: {
      resolve: async () => ({ jobTemplateArn: 'arn:aws:iot:us-east-1:123456789012:jobtemplate/fw' }),
    },
    notifier: { publish: async () => {} },
  };
  store.seed(
    {
      releaseId: 'src',
      jobTemplateId: 'fw',
      targets: { thingGroups: ['fleet'] },
      waves: [{ percentage: 10 }, { percentage: 100 }],
    },
    'SUCCEEDED',
    [
      { status: 'SUCCEEDED', jobId: 'src-w01' },
      { status: 'SUCCEEDED', jobId: 'src-w02' },
    ],
  );
  const releaseId = `src-${kind}`;
  const thingGroupName = targetSetGroupName(releaseId);
  await store.createRelease(
    parseReleaseRequest({
      releaseId,
      jobTemplateId: 'fw',
      targets: { thingGroups: [thingGroupName] },
      waves: [{ targets: { thingGroups: [thingGroupName] } }],
    }),
    'bench',
    {
      ...(kind === 'retry' ? { retryOf: 'src' } : { rollbackOf: 'src' }),
      targetSet: {
        sourceReleaseId: 'src',
        statuses: kind === 'retry' ? RETRY : ['SUCCEEDED'],
        thingGroupName,
      },
    },
  );
  await store.transitionRelease(releaseId, { to: 'IN_PROGRESS' });

  const pages = pagesPerInvocation(callsPerSecond);
  const handler = pacedWorkflowTask(
    taskEventSchema,
    (d, event) => gatherTargets(d, event, pages),
    () => deps,
  );
  const context = { functionName: 'gatherTargets', awsRequestId: 'bench' } as Context;
  let state: WorkflowState = { releaseId, next: 'gather' };
  let invocations = 0;
  let paced = 0;
  let transitions = 0;
  for (;;) {
    invocationMs = 0;
    const event = { state, now: new Date(clock).toISOString(), stateName: 'GatherTargets', retryCount: 0 };
    const out = (await handler(event, context)) as WorkflowState;
    invocations++;
    // The task and its Choice; a paced answer also enters the Pace wait.
    transitions += 2;
    clock += invocationMs;
    if (out.next === 'pace' && out.pace) {
      paced++;
      transitions++;
      clock = Math.max(clock, Date.parse(out.pace.until));
    } else if (out.next !== 'gather') {
      break;
    }
    state = out;
  }
  const { release } = await store.getRelease(releaseId);
  return {
    calls,
    invocations,
    paced,
    transitions,
    virtualSeconds: Math.round((clock - T0) / 100) / 10,
    things: release.targetSet?.things ?? -1,
    peakListsPerSecond: maxInAnyWindow(listedAt, 1000),
  };
}

/** Calls per second and ms a call: AWS's rate and fleetwave's default, with calls taking 20 ms and no time (the budget alone). */
const runs = [
  [10, CALL_MS],
  [DEFAULT_CALLS_PER_SECOND, CALL_MS],
  [10, 0],
  [DEFAULT_CALLS_PER_SECOND, 0],
] as const;
const figures: { name: string; value: number; unit: string }[] = [];
console.log(
  `Gathering the target set of a ${THINGS.toLocaleString('en')}-thing source (2 waves; 2 % failed, 98 % succeeded), ${PAGE} executions a page, at most a second's worth of pages an invocation (10 at 10/s), adds ${ADD_IN_FLIGHT} in flight:\n`,
);
for (const [callsPerSecond, callMs] of runs) {
  for (const kind of ['retry', 'rollback'] as const) {
    const f = await gather(kind, callsPerSecond, callMs);
    const apis = Object.entries(f.calls)
      .map(([api, n]) => `${api} ${n}`)
      .join(', ');
    console.log(
      `${kind} at ${callsPerSecond}/s, ${callMs} ms a call: ${f.things} things; ${apis}; ${f.invocations} invocations (${f.paced} paced), ${f.transitions} transitions; ${f.virtualSeconds} s virtual; at most ${f.peakListsPerSecond} listings in any second`,
    );
    const label = `${kind}, ${callsPerSecond} calls/s, ${callMs} ms a call`;
    figures.push(
      { name: `${label}: things gathered`, value: f.things, unit: '' },
      {
        name: `${label}: ListJobExecutionsForJob calls`,
        value: f.calls.ListJobExecutionsForJob ?? 0,
        unit: '',
      },
      { name: `${label}: AddThingToThingGroup calls`, value: f.calls.AddThingToThingGroup ?? 0, unit: '' },
      { name: `${label}: GatherTargets invocations`, value: f.invocations, unit: '' },
      { name: `${label}: state transitions`, value: f.transitions, unit: '' },
      { name: `${label}: virtual time`, value: f.virtualSeconds, unit: 's' },
      {
        name: `${label}: ListJobExecutionsForJob calls in the busiest second`,
        value: f.peakListsPerSecond,
        unit: '',
      },
    );
  }
}
reportResult({
  benchmark: 'retry-rollback',
  description: `GatherTargets for a ${THINGS.toLocaleString('en')}-thing source (2 % failed, 98 % succeeded): IoT calls, invocations, transitions and virtual time under the IoT call budget (real task and budget; ${CALL_MS} ms a call)`,
  figures,
});

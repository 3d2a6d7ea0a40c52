/**
 * Twelve releases started at once share an IoT budget of 2 calls per
 * second per jobs API, on an IoT endpoint that throttles past that same
 * rate, with one SDK attempt per call so that any throttle would surface.
 * The budget paces them: AWS is never asked more than the rate allows, no
 * task ever fails on a throttle, every release gets its turn (none is
 * starved), and all of them succeed with one job each. Each wait is
 * counted in the metrics.
 */
import { describe, expect, it } from 'vitest';
import { waveJobId } from '../../../lib/domain/wave-job.js';
import { useEnvVariable } from '../../support/env-var.js';
import { fixedProfile } from '../../support/fleet.js';
import { countIotCallsPerSecond } from '../../support/iot-calls-per-second.js';
import { historyOf } from '../../support/stepfunctions.js';
import { jobIds, runUntilRead, startRelease, useWorkflowStack } from '../../support/workflow.js';

const RELEASES = 12;
const RATE = 2;
const WATCHED = ['DescribeJobTemplate', 'CreateJob', 'DescribeJob'] as const;

describe('release workflow: the IoT call budget', () => {
  // One attempt per call: a throttle is not hidden by the SDK's retries, it fails the task.
  useEnvVariable('AWS_MAX_ATTEMPTS', '1');
  const env = useWorkflowStack({
    fleet: { size: RELEASES * 2, canaryShare: 0 },
    profiles: fixedProfile({ startSeconds: 5, runSeconds: 60 }),
    iotLimits: { requestsPerSecond: RATE },
    iotCallsPerSecond: RATE,
  });

  it(`paces ${RELEASES} concurrent releases to ${RATE} calls per second per API: no throttle, no starved release`, async () => {
    const { stack, clients } = env();
    const calls = countIotCallsPerSecond(stack, WATCHED);
    const startedAt = stack.clock.now();
    const things = [...stack.iot.registry.things.thingList.values()].map((t) => t.thingName).sort();
    const started = await Promise.all(
      Array.from({ length: RELEASES }, (_, i) =>
        startRelease(stack, clients, {
          releaseId: `paced-${String(i).padStart(2, '0')}`,
          jobTemplateId: 'fw-2-0',
          waves: [{ targets: { things: things.slice(i * 2, i * 2 + 2) } }],
        }),
      ),
    );
    const statuses = await runUntilRead(
      stack,
      () => Promise.all(started.map((s) => clients.repository.getRelease(s.releaseId))),
      (loaded) => loaded.every((l) => l.release.status === 'SUCCEEDED' || l.release.status === 'FAILED'),
      'every release to end',
      3_600_000,
    );
    calls.stop();

    expect(statuses.map((l) => l.release.status)).toEqual(started.map(() => 'SUCCEEDED'));
    expect(await jobIds(clients)).toEqual(started.map((s) => waveJobId(s.releaseId, 1)).sort());

    const histories = await Promise.all(started.map((s) => historyOf(clients.sfn, s.executionArn)));
    const failedTasks = histories
      .flat()
      .filter((e) => e.type === 'TaskFailed' || e.type === 'LambdaFunctionFailed');
    expect(failedTasks).toEqual([]);

    for (const op of WATCHED) {
      expect(calls.total(op), `${op} calls`).toBeGreaterThanOrEqual(RELEASES);
      expect(calls.peak(op), `${op} calls in the busiest virtual second`).toBeLessThanOrEqual(RATE);
    }

    // The storm at the start was paced, not refused: most releases waited for a template slot.
    const pacedStarts = histories.filter((h) =>
      h.some((e) => e.type === 'WaitStateEntered' && e.stateEnteredEventDetails?.name === 'PaceStartRelease'),
    );
    expect(pacedStarts.length).toBeGreaterThanOrEqual(RELEASES - RATE);
    // Each wait is counted once (IotCallBudgetWaits), with how long it lasts.
    const paceWaits = histories
      .flat()
      .filter((e) => e.type === 'WaitStateEntered' && e.stateEnteredEventDetails?.name?.startsWith('Pace'));
    const waits = stack.metrics.list({ name: 'IotCallBudgetWaits', maxResults: 5_000 }).metrics;
    expect(waits.flatMap((w) => w.metrics[0]?.values ?? [])).toHaveLength(paceWaits.length);
    const waitTimes = stack.metrics.list({ name: 'IotCallBudgetWaitTime', maxResults: 5_000 }).metrics;
    for (const w of waitTimes)
      expect(w.metrics.find((m) => m.unit === 'Milliseconds')?.values[0]).toBeGreaterThan(0);

    // Slots are handed out in turn: every release started its wave within the time the whole
    // queue needs at this rate (twelve template calls, then twelve CreateJob calls); none was starved.
    const waveStarts = statuses.map((l) => Date.parse(String(l.waves[0]?.startedAt)));
    expect(Math.max(...waveStarts) - startedAt).toBeLessThanOrEqual(((2 * RELEASES) / RATE + 2) * 1000);
  });
});

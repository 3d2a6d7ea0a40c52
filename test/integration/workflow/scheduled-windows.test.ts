/**
 * A wave outside its maintenance windows waits for them: its record says
 * so (`window: {open: false, opensAt}`), its safety-net sleeps count open
 * time only (no look at an opening or a closing), and its timeout counts
 * only the time its windows were open. The devices here hang, so only the workflow's own
 * looks move it (no completion event).
 */
import { describe, expect, it } from 'vitest';
import { fixedProfile } from '../../support/fleet.js';
import { historyOf } from '../../support/stepfunctions.js';
import {
  runUntilClosed,
  runUntilRead,
  startRelease,
  useWorkflowStack,
  type WorkflowStack,
} from '../../support/workflow.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('release workflow: maintenance windows', () => {
  const env = useWorkflowStack({
    fleet: { size: 6, canaryShare: 0 },
    profiles: fixedProfile({ outcomes: { hang: 1 }, startSeconds: 2 }),
  });

  /**
   * A one-wave release whose window opens daily two whole hours after now, for an hour;
   * `timeoutMinutes` for its wave. Returns when the next window opens.
   */
  async function startInWindow({ stack, clients }: WorkflowStack, releaseId: string, timeoutMinutes: number) {
    const nowMs = stack.clock.now();
    const opensAt = Math.floor(nowMs / HOUR) * HOUR + 2 * HOUR;
    const hour = new Date(opensAt).getUTCHours();
    const things = stack.seededFleet?.sampleThingNames ?? [];
    const started = await startRelease(stack, clients, {
      releaseId,
      jobTemplateId: 'fw-2-0',
      schedulingConfig: {
        maintenanceWindows: [{ startTime: `cron(0 ${hour} * * ? *)`, durationInMinutes: 60 }],
      },
      waves: [{ targets: { things: things.slice(0, 2) }, timeoutMinutes }],
    });
    return { ...started, opensAt };
  }

  /** What each WaitForProgress sleep was set to, with the time it began (from the execution's history). */
  async function sleeps({ clients }: WorkflowStack, executionArn: string) {
    return (await historyOf(clients.sfn, executionArn)).flatMap((e) => {
      const entered = e.stateEnteredEventDetails;
      if (entered?.name !== 'WaitForProgress') return [];
      const input = JSON.parse(entered.input ?? '{}') as { poll?: { safetyNetSeconds?: number } };
      return [{ at: e.timestamp?.getTime() ?? 0, seconds: input.poll?.safetyNetSeconds ?? 0 }];
    });
  }

  it('shows a wave outside its window as waiting for it, and sleeps across it counting open time only', async () => {
    const ws = env();
    const { stack, clients } = ws;
    const { releaseId, executionArn, opensAt } = await startInWindow(ws, 'window-wait', 1440);

    const waiting = await runUntilRead(
      stack,
      () => clients.repository.getWave(releaseId, 1),
      (wave) => wave.window !== undefined,
      'wave 1 to record its window',
    );
    expect(waiting).toMatchObject({
      status: 'IN_PROGRESS',
      window: { open: false, opensAt: new Date(opensAt).toISOString() },
    });
    const [first] = await sleeps(ws, executionArn);
    // The first safety net (5 minutes, stretched by up to 20 %) counts open time: it ends that
    // long after the opening, not at it; the closed hours before cost no look.
    const firstEnd = (first?.at ?? 0) + (first?.seconds ?? 0) * 1000;
    expect(firstEnd).toBeGreaterThanOrEqual(opensAt + 300_000);
    expect(firstEnd).toBeLessThanOrEqual(opensAt + 360_000);

    const open = await runUntilRead(
      stack,
      () => clients.repository.getWave(releaseId, 1),
      (wave) => wave.window?.open === true,
      'wave 1 to see its window open',
    );
    expect(open.window).toEqual({ open: true, closesAt: new Date(opensAt + HOUR).toISOString() });
    expect(stack.clock.now()).toBe(firstEnd);
    // One sleep across the closed window: no look before it opened, none at its opening.
    expect(await sleeps(ws, executionArn)).toHaveLength(2);
    const [, inside] = await sleeps(ws, executionArn);
    // Inside the window a sleep is not cut at the closing: it goes on counting open time on later nights.
    expect(inside && inside.at + inside.seconds * 1000).toBeGreaterThan(opensAt + DAY);
  });

  it('times the wave out once its windows were open timeoutMinutes, the closed time not counted', async () => {
    const ws = env();
    const { stack, clients } = ws;
    // 90 minutes of a daily hour: the first window, then half of the next day's.
    const { releaseId, executionArn, opensAt } = await startInWindow(ws, 'window-timeout', 90);

    const done = await runUntilClosed(stack, clients, executionArn, 3 * DAY);
    expect(done.status).toBe('FAILED');
    const wave = await clients.repository.getWave(releaseId, 1);
    expect(wave.status).toBe('TIMED_OUT');
    expect(Date.parse(wave.finishedAt ?? '')).toBe(opensAt + DAY + 30 * 60_000);
    // The deadline it was judged by was set once, at its start, and kept on its record.
    expect(wave.clock?.timeoutAt).toBe(new Date(opensAt + DAY + 30 * 60_000).toISOString());
    expect(wave.reason).toMatch(/^The wave did not finish within 90 minutes of open maintenance windows: /);
    // Asleep across the closed windows: a handful of looks over more than a day.
    expect((await sleeps(ws, executionArn)).length).toBeLessThan(15);
  });
});

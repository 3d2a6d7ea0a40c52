/**
 * A scheduled release that waits for a person at its end time (an approval
 * gate nobody answers) does not wait past it: the gate's wait is cut at the
 * end time, and the release ends there by its end behaviour, CANCELED by
 * fleetwave, not FAILED for a refusal, a week later.
 */
import { describe, expect, it } from 'vitest';
import { formatScheduleTime } from '../../../lib/domain/schedule-time.js';
import { fixedProfile } from '../../support/fleet.js';
import { runUntilClosed, startRelease, useWorkflowStack } from '../../support/workflow.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('release workflow: a gate at the end time', () => {
  const env = useWorkflowStack({
    fleet: { size: 6, canaryShare: 0 },
    profiles: fixedProfile({ outcomes: { hang: 0 }, startSeconds: 2 }),
  });

  it('ends a release whose approval gate is still open at its end time, at the end time', async () => {
    const { stack, clients } = env();
    const things = stack.seededFleet?.sampleThingNames ?? [];
    const endMs = Math.ceil((stack.clock.now() + 3 * HOUR) / MINUTE) * MINUTE;
    const started = await startRelease(stack, clients, {
      releaseId: 'gate-at-end',
      jobTemplateId: 'fw-2-0',
      schedulingConfig: { endTime: formatScheduleTime(endMs), endBehavior: 'CANCEL' },
      waves: [
        { targets: { things: things.slice(0, 2) }, requireApproval: true },
        { targets: { things: things.slice(2, 4) } },
      ],
    });

    const done = await runUntilClosed(stack, clients, started.executionArn, 10 * DAY);
    expect(done.status).toBe('SUCCEEDED');
    const { release, waves } = await clients.repository.getRelease('gate-at-end');
    expect(release).toMatchObject({ status: 'CANCELED', statusActor: 'fleetwave', endedAtEndTime: 'CANCEL' });
    // Ended at the end time, not when the week-long gate would have timed out.
    expect(Date.parse(release.updatedAt)).toBe(endMs);
    expect(waves.map((w) => w.status)).toEqual(['SUCCEEDED', 'CANCELED']);
  });
});

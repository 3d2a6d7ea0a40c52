import { describe, expect, it } from 'vitest';
import { DEFAULT_ADAPTIVE_WAIT, nextPoll, type PollState } from '../../../lib/domain/adaptive-wait.js';
import { countsFromJobProcessDetails } from '../../../lib/domain/wave-progress.js';

const queued = countsFromJobProcessDetails({ numberOfQueuedThings: 10 });
const moving = countsFromJobProcessDetails({ numberOfQueuedThings: 9, numberOfInProgressThings: 1 });
const FAR = 10 * 3600_000;

/** Polls `times` times with unchanged counts, returning the waits chosen. */
function unchangedWaits(times: number): number[] {
  const waits: number[] = [];
  let previous: PollState | undefined;
  for (let i = 0; i < times; i++) {
    const poll = nextPoll({ counts: queued, jobStatus: 'IN_PROGRESS', previous, nowMs: 0, deadlineMs: FAR });
    waits.push(poll.seconds);
    previous = poll.state;
  }
  return waits;
}

describe('nextPoll', () => {
  it('starts at 15 s and doubles while nothing changes, up to 5 minutes', () => {
    expect(unchangedWaits(8)).toEqual([15, 30, 60, 120, 240, 300, 300, 300]);
  });

  it('counts the unchanged polls', () => {
    const first = nextPoll({ counts: queued, jobStatus: 'IN_PROGRESS', nowMs: 0, deadlineMs: FAR });
    const second = nextPoll({
      counts: queued,
      jobStatus: 'IN_PROGRESS',
      previous: first.state,
      nowMs: 0,
      deadlineMs: FAR,
    });
    expect([first.changed, first.state.unchangedPolls]).toEqual([true, 0]);
    expect([second.changed, second.state.unchangedPolls]).toEqual([false, 1]);
  });

  it('resets to the initial wait when a counter changes', () => {
    const previous: PollState = {
      counts: queued,
      jobStatus: 'IN_PROGRESS',
      intervalSeconds: 240,
      unchangedPolls: 4,
    };
    const poll = nextPoll({ counts: moving, jobStatus: 'IN_PROGRESS', previous, nowMs: 0, deadlineMs: FAR });
    expect(poll).toMatchObject({ seconds: 15, changed: true, state: { unchangedPolls: 0, counts: moving } });
  });

  it('resets when only the job status changes', () => {
    const previous: PollState = {
      counts: queued,
      jobStatus: 'SCHEDULED',
      intervalSeconds: 240,
      unchangedPolls: 4,
    };
    expect(
      nextPoll({ counts: queued, jobStatus: 'IN_PROGRESS', previous, nowMs: 0, deadlineMs: FAR }).seconds,
    ).toBe(15);
  });

  it('never waits past the deadline, rounding up to a whole second', () => {
    const previous: PollState = {
      counts: queued,
      jobStatus: 'IN_PROGRESS',
      intervalSeconds: 300,
      unchangedPolls: 6,
    };
    const poll = nextPoll({
      counts: queued,
      jobStatus: 'IN_PROGRESS',
      previous,
      nowMs: 0,
      deadlineMs: 7_200,
    });
    expect(poll.seconds).toBe(8);
    // The uncut wait stays the base of the next back-off.
    expect(poll.state.intervalSeconds).toBe(300);
  });

  it('waits at least 1 s, even at or past the deadline', () => {
    expect(
      nextPoll({ counts: queued, jobStatus: 'IN_PROGRESS', nowMs: 5_000, deadlineMs: 5_000 }).seconds,
    ).toBe(1);
  });

  it('follows a custom policy', () => {
    const policy = { initialSeconds: 5, factor: 3, maxSeconds: 40 };
    let previous: PollState | undefined;
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const poll = nextPoll({
        counts: queued,
        jobStatus: 'IN_PROGRESS',
        previous,
        nowMs: 0,
        deadlineMs: FAR,
        policy,
      });
      waits.push(poll.seconds);
      previous = poll.state;
    }
    expect(waits).toEqual([5, 15, 40, 40]);
    expect(DEFAULT_ADAPTIVE_WAIT).toEqual({ initialSeconds: 15, factor: 2, maxSeconds: 300 });
  });
});

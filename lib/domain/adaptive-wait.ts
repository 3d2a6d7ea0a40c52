/**
 * How long the workflow waits before it describes a wave's job again. A
 * wave that is moving is polled often (changes are recorded and notified
 * promptly); a wave where nothing happens is polled less and less often,
 * because every poll costs a DescribeJob call (about 10 TPS per account,
 * shared by all releases) and Step Functions state transitions.
 */
import { countsEqual, type JobProcessCounts } from './wave-progress.js';

export interface AdaptiveWaitPolicy {
  /** The first wait, and the wait after any change. */
  initialSeconds: number;
  /** Each unchanged poll multiplies the wait by this. */
  factor: number;
  /** The wait never grows past this. */
  maxSeconds: number;
}

export const DEFAULT_ADAPTIVE_WAIT: Readonly<AdaptiveWaitPolicy> = Object.freeze({
  initialSeconds: 15,
  factor: 2,
  maxSeconds: 300,
});

/**
 * What one poll remembers for the next. It travels in the workflow's state
 * (a poll that changes nothing writes nothing to the table).
 */
export interface PollState {
  counts: JobProcessCounts;
  jobStatus: string;
  /** The wait chosen after this poll before the deadline cut it: the base for the next back-off. */
  intervalSeconds: number;
  /** Polls in a row that saw nothing change. */
  unchangedPolls: number;
}

export interface NextPollInput {
  counts: JobProcessCounts;
  jobStatus: string;
  previous?: PollState | undefined;
  nowMs: number;
  /** The wave's deadline, epoch ms. */
  deadlineMs: number;
  policy?: AdaptiveWaitPolicy | undefined;
}

export interface NextPoll {
  /** Whole seconds to wait (Step Functions `Wait` takes whole seconds); at least 1. */
  seconds: number;
  state: PollState;
  /** True when the counts or the job status differ from the previous poll's (always true for the first). */
  changed: boolean;
}

/**
 * The next wait: `initialSeconds` on the first poll and after any change,
 * otherwise the previous wait × `factor`, capped at `maxSeconds`, and never
 * past the deadline (rounded up to the next whole second, so the poll that
 * follows sees the deadline reached instead of spinning just before it).
 */
export function nextPoll(input: NextPollInput): NextPoll {
  const policy = input.policy ?? DEFAULT_ADAPTIVE_WAIT;
  const { previous } = input;
  const changed =
    previous === undefined ||
    previous.jobStatus !== input.jobStatus ||
    !countsEqual(previous.counts, input.counts);
  const intervalSeconds = changed
    ? policy.initialSeconds
    : Math.min(previous.intervalSeconds * policy.factor, policy.maxSeconds);
  const untilDeadline = Math.ceil((input.deadlineMs - input.nowMs) / 1000);
  return {
    seconds: Math.max(1, Math.min(intervalSeconds, untilDeadline)),
    changed,
    state: {
      counts: { ...input.counts },
      jobStatus: input.jobStatus,
      intervalSeconds,
      unchangedPolls: changed ? 0 : previous.unchangedPolls + 1,
    },
  };
}

/**
 * What the fleet simulator reports as it runs: one event per step of an
 * execution or a job, for tests, the admin API and benchmarks. Times are
 * virtual epoch ms.
 */
import type { AbortDecision, CompletedTally } from './abort-rules.js';
import type { DeviceOutcome } from './behaviour-profile.js';

export type EndStatus = 'SUCCEEDED' | 'FAILED' | 'REJECTED' | 'TIMED_OUT';

export type FleetEvent =
  | {
      readonly type: 'notified';
      readonly at: number;
      readonly jobId: string;
      readonly thingName: string;
      readonly executionNumber: number;
      /** The rollout rate the notification was sent under (undefined: outside the rollout, a CONTINUOUS newcomer). */
      readonly ratePerMinute: number | undefined;
      /** What the device will do with this attempt; `external` when a real device plays the thing. */
      readonly outcome: DeviceOutcome | 'external';
    }
  | {
      readonly type: 'started';
      readonly at: number;
      readonly jobId: string;
      readonly thingName: string;
      readonly executionNumber: number;
    }
  | {
      readonly type: 'ended';
      readonly at: number;
      readonly jobId: string;
      readonly thingName: string;
      readonly executionNumber: number;
      readonly status: EndStatus;
    }
  | {
      readonly type: 'retried';
      readonly at: number;
      readonly jobId: string;
      readonly thingName: string;
      /** The new attempt's number. */
      readonly executionNumber: number;
    }
  | {
      readonly type: 'aborted';
      readonly at: number;
      readonly jobId: string;
      readonly decision: AbortDecision;
      /** QUEUED executions the abort canceled. */
      readonly canceled: number;
    }
  | { readonly type: 'completed'; readonly at: number; readonly jobId: string };

/** A job's rollout as the simulator sees it. */
export interface FleetJobStats {
  readonly jobId: string;
  /** False once the job was canceled, aborted, completed or deleted. */
  readonly active: boolean;
  /** The rollout rate in force now. */
  readonly ratePerMinute: number;
  readonly notifiedThings: number;
  readonly succeededThings: number;
  /** Executions (first attempts and retries) waiting for the rollout budget. */
  readonly waitingToNotify: number;
  /** Attempts completed so far, by outcome (what the abort rule reads). */
  readonly completed: CompletedTally;
}

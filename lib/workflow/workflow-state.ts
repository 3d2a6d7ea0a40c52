/**
 * The JSON that travels through the release state machine, and the event
 * each task receives. The execution starts with `{ "releaseId": "..." }`;
 * every task returns the whole next state (the ASL keeps `$.Payload`), so
 * what a task does not return is gone: routing fields never outlive the
 * step that set them. Everything durable lives in DynamoDB; the state only
 * carries what routes the machine and what the next poll compares against.
 */
import * as z from 'zod';
import { waveFailureCauses } from '../domain/notifications.js';
import { jobProcessCountsSchema } from '../domain/release.js';

const positiveInt = z.number().int().min(1);

const maintenanceWindowSchema = z.object({
  startTime: z.string().min(1),
  durationInMinutes: z.number().int().min(1),
});

/** Where the machine goes after a task (the `Choice` states read `$.next`). */
export const nextSteps = [
  /** GatherTargets: put (more of) a retry's or rollback's things in its group, from `gather`. */
  'gather',
  /** Wait `settle.waitSeconds`, then GatherTargets: the source release still has executions running. */
  'settle',
  /** WaitForStart until `start.at`, then StartRelease again: a release SCHEDULED to start later. */
  'schedule',
  /** PrepareWave for `nextWaveNumber`. */
  'wave',
  /** StartWave: create (or adopt) the wave's job. */
  'start',
  /** Wait `poll.waitSeconds`, then CheckWave. */
  'poll',
  /** CheckWave at once: a halted wave resumed with nothing left to run is judged on what ran. */
  'check',
  /** Wait `bake.waitSeconds`, then CheckBake. */
  'bake',
  /** The approval gate, then `afterApproval`. */
  'approval',
  /** FinishRelease. */
  'finish',
  /** HoldRelease: a pause is asked for; the release waits there until resumed. */
  'hold',
  /** FailWave with `failure`. */
  'fail',
  /** CancelRelease: the release was canceled through the API. */
  'canceled',
  /** The release is FAILED and recorded: end the execution as failed. */
  'failed',
  /** The release is SUCCEEDED and recorded. */
  'succeeded',
  /** The IoT call budget is spent: wait until `pace.until`, then run the same task again. */
  'pace',
] as const;

/** What one poll remembers for the next (`PollState` of the adaptive wait). */
const pollStateSchema = z.object({
  counts: jobProcessCountsSchema,
  jobStatus: z.string(),
  intervalSeconds: z.number().positive(),
  unchangedPolls: z.number().int().min(0),
});

/** Why the wave in hand is to be failed: set by CheckWave or CheckBake, read by FailWave. */
const waveFailureSchema = z.object({
  waveStatus: z.enum(['FAILED', 'TIMED_OUT']),
  cause: z.enum(waveFailureCauses),
  reason: z.string().min(1),
});
export type WaveFailure = z.infer<typeof waveFailureSchema>;

/**
 * Where a retry's or rollback's gather stands between its invocations: the
 * listing it is on (an index into `targetListings`), the page token of that
 * listing's next page, how many things of that page are in the group already
 * (a page cut short by a failure), and how many things it has put in so far.
 */
const gatherCursorSchema = z.object({
  listing: z.number().int().min(0),
  nextToken: z.string().min(1).optional(),
  skip: z.number().int().min(0).optional(),
  found: z.number().int().min(0),
  /** Executions of the source still running when the gather began (after the settle wait ran out). */
  stillRunning: z.number().int().min(1).optional(),
  /** Things of the set the registry no longer has, left out so far. */
  gone: z.number().int().min(1).optional(),
});
export type GatherCursor = z.infer<typeof gatherCursorSchema>;

const workflowStateSchema = z.object({
  releaseId: z.string().min(1),
  /** Resolved once by StartRelease; also the source of the account and region of target ARNs. */
  jobTemplateArn: z.string().min(1).optional(),
  waveCount: positiveInt.optional(),
  /**
   * The job template's own maintenance windows (DescribeJobTemplate, by StartRelease): the
   * windows of a wave when neither it nor the release names any, as IoT inherits them.
   */
  templateWindows: z.array(maintenanceWindowSchema).optional(),
  /** The release's `schedulingConfig.endTime` (ISO-8601), set by StartRelease: where a gate or a hold stops waiting. */
  endsAt: z.iso.datetime().optional(),
  /**
   * How long AwaitApproval or HoldRelease waits for its answer (their TimeoutSecondsPath): a week,
   * or less when the release's end time comes first. Set on every task's output that goes there.
   */
  gateTimeoutSeconds: positiveInt.optional(),
  /** A SCHEDULED release waits in WaitForStart until `at` (ISO-8601, its `schedulingConfig.startTime`). */
  start: z.object({ at: z.iso.datetime() }).optional(),
  /** The wave in hand. */
  waveNumber: positiveInt.optional(),
  /** The wave PrepareWave takes next. */
  nextWaveNumber: positiveInt.optional(),
  next: z.enum(nextSteps).optional(),
  /** Where an approved gate leads. */
  afterApproval: z.enum(['wave', 'finish']).optional(),
  /**
   * `waitSeconds`: the adaptive poll; `safetyNetSeconds`: how long the wave sleeps waiting for its
   * job's events before it looks anyway (`WaitForProgress`'s TimeoutSecondsPath).
   */
  poll: z
    .object({
      waitSeconds: positiveInt,
      safetyNetSeconds: positiveInt.optional(),
      last: pollStateSchema.optional(),
    })
    .optional(),
  bake: z.object({ waitSeconds: positiveInt }).optional(),
  failure: waveFailureSchema.optional(),
  /** A gather under way (GatherTargets answers `next: "gather"` with it until the set is complete). */
  gather: gatherCursorSchema.optional(),
  /** Waiting for the source's running executions to end before the gather begins (since when, and the next wait). */
  settle: z.object({ since: z.string().min(1), waitSeconds: positiveInt }).optional(),
  /** The output a person sent with SendTaskSuccess (e.g. `{ "approvedBy": "...", "comment": "..." }`). */
  approval: z.unknown().optional(),
  /** What the API sent through the hold when the release was resumed (`ResumeOutput`). */
  resume: z.unknown().optional(),
  /**
   * Set when a task's IoT call must wait its turn (`PacedError`): the machine waits until
   * `until` in the task's own `Pace…` state, then runs the task again with the slots it
   * reserved (by API, epoch ms), which it spends instead of queueing anew. A Retry of that
   * run, or a Catch handing its input to RecordFailure, does not spend them again.
   */
  pace: z
    .object({
      /** The state that reserved the slots; only its first attempt after the wait spends them. */
      task: z.string().optional(),
      until: z.iso.datetime(),
      reservations: z.record(z.string(), z.number()),
    })
    .optional(),
  /** What a `Catch` caught (`ResultPath: $.error`). */
  error: z.object({ Error: z.string(), Cause: z.string().optional() }).optional(),
});
export type WorkflowState = z.infer<typeof workflowStateSchema>;

const instant = z.string().refine((s) => Number.isFinite(Date.parse(s)), 'must be an ISO-8601 time');

/**
 * What every task receives: the state, and from the context object the
 * time the state was entered (`$$.State.EnteredTime`: the workflow's
 * clock, virtual on the local stack), the execution's ARN, the state's
 * name and the attempt's retry count.
 */
export const taskEventSchema = z.object({
  state: workflowStateSchema,
  now: instant,
  executionArn: z.string().min(1).optional(),
  /** `$$.State.Name`: which state runs the task (a paced task's slots are its own). */
  stateName: z.string().min(1).optional(),
  /** `$$.State.RetryCount`: 0 on the first attempt, then one more per Retry. */
  retryCount: z.number().int().min(0).optional(),
});
export type TaskEvent = z.infer<typeof taskEventSchema>;

/** The approval gate's event (and the hold's) also carries `$$.Task.Token`. */
export const approvalTaskEventSchema = taskEventSchema.extend({ taskToken: z.string().min(1) });
export type ApprovalTaskEvent = z.infer<typeof approvalTaskEventSchema>;

/** The fields that identify the release and the wave in hand; every task's output starts from these. */
export function carried(state: WorkflowState): WorkflowState {
  const { releaseId, jobTemplateArn, waveCount, waveNumber, templateWindows, endsAt } = state;
  return {
    releaseId,
    ...(endsAt !== undefined && { endsAt }),
    ...(jobTemplateArn !== undefined && { jobTemplateArn }),
    ...(templateWindows !== undefined && { templateWindows }),
    ...(waveCount !== undefined && { waveCount }),
    ...(waveNumber !== undefined && { waveNumber }),
  };
}

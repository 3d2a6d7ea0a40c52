/**
 * The release workflow as a table: the source of `release.asl.json`. To
 * change the workflow, edit a row here, run `npm run generate:state-machine`
 * and commit both files (docs/workflow.md, "Changing the workflow").
 *
 * A task is one row: its function, its retry profile, the answers of its
 * `next` it may give and where each leads (its Choice), whether it is paced
 * by the IoT call budget (its Pace wait), and where its errors go when that
 * is not RecordFailure.
 */
import type { ThrottledError, UpstreamError } from '../lib/domain/errors.js';
import type { nextSteps } from '../lib/workflow/workflow-state.js';
import { backoff, type MachineTable } from './machine-table.js';

/** What a task may answer in `next`, as the workflow state declares it. */
type NextStep = (typeof nextSteps)[number];

const THROTTLED: ThrottledError['name'] = 'ThrottledError';
const UPSTREAM: UpstreamError['name'] = 'UpstreamError';
const LAMBDA_TRANSIENT = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];
const FUNCTION_DIED = ['Sandbox.Timedout', 'Runtime.ExitError', 'Runtime.Unknown'];

/** Throttles, transient faults and a dead function; everything else is caught at once. */
const retryStandard = [
  backoff([THROTTLED], 1, 10),
  backoff([UPSTREAM, ...LAMBDA_TRANSIENT], 2, 6),
  backoff(FUNCTION_DIED, 5, 3),
];

/**
 * RecordFailure is the last step that can write the release FAILED: it
 * outlasts a longer outage before the execution ends.
 */
const retryPersistent = [
  backoff([THROTTLED], 1, 10),
  backoff([UPSTREAM, ...LAMBDA_TRANSIENT], 2, 10),
  backoff(FUNCTION_DIED, 5, 3),
];

/** What a look at a running or baking wave's job may decide (CheckWave, CheckBake). */
const waveVerdicts = {
  bake: 'BakeWave',
  fail: 'FailWave',
  approval: 'AwaitApproval',
  wave: 'PrepareWave',
  finish: 'FinishRelease',
  canceled: 'CancelRelease',
  hold: 'HoldRelease',
} as const;

/** Where a release picked up where it stood goes (StartRelease after a restart, ContinueRelease after a resume). */
const resumeRoutes = {
  gather: 'GatherTargets',
  wave: 'PrepareWave',
  bake: 'BakeWave',
  approval: 'AwaitApproval',
  finish: 'FinishRelease',
  canceled: 'CancelRelease',
  hold: 'HoldRelease',
} as const;

export const releaseMachine: MachineTable<NextStep> = {
  comment:
    'fleetwave release: waves of one AWS IoT job template, one IoT job per wave, each watched until it passes or fails, baked and (where asked) approved before the next. Every task writes to DynamoDB before it acts, so a retried task finds its own earlier work. Input: {"releaseId": "..."}; the execution name is the release id. See docs/workflow.md.',
  startAt: 'StartRelease',
  routeOn: '$.next',
  onError: 'RecordFailure',
  unknownStep: 'UnexpectedStep',
  rows: [
    {
      task: 'StartRelease',
      fn: 'startRelease',
      comment:
        'Records the release IN_PROGRESS with this execution, resolves its job template, announces it. A release already under way (resumed) goes back to its baking wave or its approval gate. A release whose schedulingConfig.startTime is ahead is recorded SCHEDULED and waits for it in WaitForStart.',
      retry: retryStandard,
      paced: true,
      routes: { schedule: 'WaitForStart', ...resumeRoutes },
    },
    {
      state: 'WaitForStart',
      asl: {
        Type: 'Wait',
        Comment:
          'A SCHEDULED release waits for its start time: no Lambda, no job, no polling; a cancel stops the execution here. Then StartRelease again, which starts it.',
        TimestampPath: '$.start.at',
        Next: 'StartRelease',
      },
    },
    {
      task: 'GatherTargets',
      fn: 'gatherTargets',
      comment:
        "A retry's or rollback's things: the source release's executions in the set's statuses (ListJobExecutionsForJob), added to its thing group, at most a second of the IoT call budget's pages an invocation (gather again with the cursor), then wave 1. An empty set ends the release SUCCEEDED.",
      retry: retryStandard,
      paced: true,
      routes: {
        gather: 'GatherTargets',
        settle: 'SettleSource',
        wave: 'PrepareWave',
        canceled: 'CancelRelease',
        succeeded: 'ReleaseSucceeded',
      },
    },
    {
      state: 'SettleSource',
      asl: {
        Type: 'Wait',
        Comment:
          "The source release still has executions running (a failed wave's devices finish): wait, then gather.",
        SecondsPath: '$.settle.waitSeconds',
        Next: 'GatherTargets',
      },
    },
    {
      task: 'PrepareWave',
      fn: 'prepareWave',
      paced: true,
      comment:
        'Records wave nextWaveNumber IN_PROGRESS with its job id; for a percentage wave, fills its cohort thing group. A halted wave, resumed, gets its follow-up job recorded (its group filled), or goes to CheckWave when nothing is left.',
      retry: retryStandard,
      routes: { start: 'StartWave', canceled: 'CancelRelease', hold: 'HoldRelease', check: 'CheckWave' },
    },
    {
      task: 'StartWave',
      fn: 'startWave',
      comment:
        'CreateJob from the template (jobId <releaseId>-w<nn>); adopts its own job on a retry, never a second one.',
      retry: retryStandard,
      paced: true,
      routes: { poll: 'WaitForProgress', check: 'CheckWave', canceled: 'CancelRelease' },
    },
    {
      task: 'WaitForProgress',
      fn: 'awaitWaveProgress',
      comment:
        "Sleeps until the wave's IoT job events wake it (its task token is kept on the wave; the IoT job-events trigger sends SendTaskSuccess when the job ends or the failure threshold is crossed). The timeout is the safety net: a lost event delays the wave to the next look, never strands it.",
      retry: retryStandard,
      callback: {
        resultPath: '$.wake',
        timeoutSecondsPath: '$.poll.safetyNetSeconds',
        onTimeout: 'CheckWave',
      },
      next: 'CheckWave',
    },
    {
      task: 'CheckWave',
      fn: 'checkWave',
      comment: 'DescribeJob, record progress, evaluateWave.',
      retry: retryStandard,
      paced: true,
      routes: { poll: 'WaitForProgress', ...waveVerdicts },
    },
    {
      state: 'BakeWave',
      asl: {
        Type: 'Wait',
        Comment: 'The bake, in waits of at most an hour.',
        SecondsPath: '$.bake.waitSeconds',
        Next: 'CheckBake',
      },
    },
    {
      task: 'CheckBake',
      fn: 'checkBake',
      comment: 'DescribeJob, record progress, checkBake; SUCCEEDED once the bake is over.',
      retry: retryStandard,
      paced: true,
      routes: waveVerdicts,
    },
    {
      task: 'AwaitApproval',
      fn: 'requestApproval',
      comment:
        "The approval gate: the token is kept on the wave; the API answers with SendTaskSuccess or SendTaskFailure. A lost answer cannot strand the release: the gate times out after 7 days, or at the release's end time if sooner (gateTimeoutSeconds, set by the task before).",
      retry: retryStandard,
      callback: { resultPath: '$.approval', timeoutSecondsPath: '$.gateTimeoutSeconds' },
      // A refusal, a timeout or a cancel is an answer, not a fault.
      onError: 'RefuseApproval',
      choice: { name: 'AfterApproval', variable: '$.afterApproval' },
      routes: { wave: 'PrepareWave', finish: 'FinishRelease' },
    },
    {
      task: 'RefuseApproval',
      fn: 'refuseApproval',
      comment:
        "Refused, timed out or canceled: fails the release (or hands over to the cancel path). An approval the API recorded as the gate closed stands: the release goes on. At the release's end time it ends by its end behaviour (the cancel path).",
      retry: retryStandard,
      routes: { canceled: 'CancelRelease', wave: 'PrepareWave', finish: 'FinishRelease' },
      otherwise: 'ReleaseFailed',
    },
    {
      task: 'HoldRelease',
      fn: 'holdRelease',
      comment:
        "The pause: the release PAUSED and the token kept on it, in one write; the API answers a resume with SendTaskSuccess. Nothing polls while held. After 7 days without an answer (or at the release's end time, if sooner: gateTimeoutSeconds) ContinueRelease holds it again with a new token, or ends it by its end behaviour.",
      retry: retryStandard,
      callback: {
        resultPath: '$.resume',
        timeoutSecondsPath: '$.gateTimeoutSeconds',
        onTimeout: 'ContinueRelease',
      },
      next: 'ContinueRelease',
    },
    {
      task: 'ContinueRelease',
      fn: 'continueRelease',
      comment:
        "After a resume: announces it and goes back to where the release stood (the next wave, the rest of a bake, the end); still PAUSED (a timeout): held again, or, at the release's end time, ended by its end behaviour.",
      retry: retryStandard,
      routes: resumeRoutes,
    },
    {
      task: 'FailWave',
      fn: 'failWave',
      comment:
        'Records the wave FAILED or TIMED_OUT, CancelJob, the rest CANCELED, the release FAILED with the reason.',
      retry: retryStandard,
      paced: true,
      routes: { canceled: 'CancelRelease' },
      otherwise: 'ReleaseFailed',
    },
    {
      task: 'FinishRelease',
      fn: 'finishRelease',
      comment: 'Records and announces the release SUCCEEDED (held first when a pause is asked for).',
      retry: retryStandard,
      routes: { canceled: 'CancelRelease', hold: 'HoldRelease' },
      otherwise: 'ReleaseSucceeded',
    },
    {
      task: 'CancelRelease',
      fn: 'cancelRelease',
      comment:
        'Canceled through the API: the running wave CANCELED and its job canceled, the rest CANCELED; the release status is kept.',
      retry: retryStandard,
      onError: 'CancelIncomplete',
      paced: true,
      routes: {},
      otherwise: 'ReleaseCanceled',
    },
    {
      state: 'UnexpectedStep',
      asl: {
        Type: 'Pass',
        Comment: 'A task named a step this machine does not know: a fault, recorded as one.',
        Result: {
          Error: 'UnexpectedStep',
          Cause: 'A workflow task returned a step the state machine does not know.',
        },
        ResultPath: '$.error',
        Next: 'RecordFailure',
      },
    },
    {
      task: 'RecordFailure',
      fn: 'recordFailure',
      comment:
        'Where every Catch leads: the running wave FAILED and its job canceled, the release FAILED with the error.',
      retry: retryPersistent,
      // Its own failure cannot be recorded again: the execution ends FAILED.
      onError: 'ReleaseFailed',
      paced: true,
      routes: { canceled: 'CancelRelease' },
      otherwise: 'ReleaseFailed',
    },
    { state: 'ReleaseSucceeded', asl: { Type: 'Succeed' } },
    {
      state: 'ReleaseCanceled',
      asl: {
        Type: 'Succeed',
        Comment: 'Canceled through the API, which recorded it; the workflow cleaned up.',
      },
    },
    {
      state: 'ReleaseFailed',
      asl: {
        Type: 'Fail',
        Error: 'ReleaseFailed',
        Cause: 'The release failed; its record and history hold the reason.',
      },
    },
    {
      state: 'CancelIncomplete',
      asl: {
        Type: 'Fail',
        Error: 'CancelIncomplete',
        Cause:
          'The release is CANCELED but its cleanup failed; cancel it again through the API to finish the cleanup.',
      },
    },
  ],
};

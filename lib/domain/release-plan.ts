/**
 * A release plan: what a release would do if it were created now, worked
 * out without creating anything. Its waves (exact sizes, the CreateJob
 * each sends, when each starts and ends), an estimate (duration as a
 * range, IoT calls, Step Functions transitions and their cost) and
 * warnings. Pure: the use case (`lib/releases/plan-release.ts`) reads the
 * template and the fleet and passes them in.
 *
 * The duration's range, per wave, one after the other: the rollout at the
 * job's rate over its windows' open time, then the time its slowest device
 * takes ({@link deviceMinutes}: the maximum of its devices' times), then the workflow's own
 * overhead, then the bake. Approval gates wait for people: they are
 * counted apart (`gates`) and not in the range.
 */
import type { JobEndBehavior } from './iot-job-settings.js';
import type { JobTemplate } from './job-template.js';
import { type MaintenanceWindow, type WindowSchedule, windowSchedule } from './maintenance-windows.js';
import {
  type IotCallCounts,
  iotCalls,
  type ReleaseCostInput,
  stateTransitions,
  transitionsCostUsd,
  type WaveCostInput,
} from './release-plan-costs.js';
import { type PlannedCreateJob, plannedCreateJob, type WaveJobCall } from './release-plan-job.js';
import {
  deviceMinutes,
  layOverWindows,
  minutesMs,
  type PlanRange,
  rolloutMinutes,
  type WindowedRollout,
} from './release-plan-rollout.js';
import {
  endCutsWave,
  hangWarning,
  type PlanWarning,
  rateWarning,
  releaseWarnings,
  thresholdWarnings,
  windowWarnings,
} from './release-plan-warnings.js';
import type { ReleaseRequest, WaveDefinition } from './release-request.js';
import { effectiveWindows, endBehaviorOf, scheduledStartMs, workflowEndMs } from './release-schedule.js';

/**
 * The workflow's own time, in minutes, between one step and the next on
 * top of IoT and the devices: from the request to the first wave's job,
 * and from a wave's last device to the next step (the job event that wakes
 * the wave, its tasks). Job events wake a wave at once, so both are short;
 * the high end leaves a minute for task hops and IoT marking the job done.
 */
const WORKFLOW_OVERHEAD_MINUTES = Object.freeze({
  releaseStart: { min: 0, max: 1 },
  perWave: { min: 0, max: 1 },
});

/**
 * When the release may start and which windows each wave keeps to. Taken
 * from the request by {@link planSchedule}; an input of its own so the plan
 * stays the same function whatever the request spells it as.
 */
export interface PlanSchedule {
  /** Epoch ms before which no wave starts (the release's scheduled start). */
  startAt?: number;
  /** Epoch ms at which the release ends by its end behaviour, whatever it is doing. */
  endAt?: number;
  endBehavior?: JobEndBehavior;
  /** Each wave's maintenance windows, by index (wave n at n − 1); none or empty: always open. */
  windowsByWave: readonly (readonly MaintenanceWindow[] | undefined)[];
}

/**
 * The schedule a release keeps to: its `startTime`; its end, as the
 * workflow's (`workflowEndMs`: the `endTime`, or the end of its lifetime
 * when that comes first); and each wave's windows as the workflow reads them
 * (the wave's, else the release's, else the job template's).
 */
export function planSchedule(
  release: ReleaseRequest & { createdAt?: string },
  templateWindows: readonly MaintenanceWindow[] | undefined,
): PlanSchedule {
  const startAt = scheduledStartMs(release);
  const endAt = workflowEndMs(release);
  return {
    ...(startAt !== undefined && { startAt }),
    ...(endAt !== undefined && { endAt, endBehavior: endBehaviorOf(release) }),
    windowsByWave: release.waves.map((_, index) => effectiveWindows(release, index + 1, templateWindows)),
  };
}

/** One wave as the use case found it. */
export interface WaveFacts {
  definition: WaveDefinition;
  /** The things the wave's job reaches (a cohort's size, or the things and groups' members it names). */
  thingCount: number;
  /** The workflow's CreateJob request for the wave. */
  job: WaveJobCall;
}

/** Everything a plan is worked out from. */
export interface PlanInput {
  request: ReleaseRequest;
  template: JobTemplate;
  waves: readonly WaveFacts[];
  /** Epoch ms the release would be created at. */
  nowMs: number;
  schedule: PlanSchedule;
  /** Things in each of the release's own thing groups. */
  releaseGroupSizes: readonly number[];
  /** True when the request named no `releaseId` and the plan drew one. */
  releaseIdDrawn: boolean;
  /** The status of the release already stored for this very request, when there is one. */
  existingStatus?: string;
  /**
   * How many times the workflow looks at a wave whose job runs `durationMs`:
   * the job event's wake-up plus the safety net's looks before it.
   */
  looksFor(definition: WaveDefinition, durationMs: number): number;
}

interface PlannedWave {
  waveNumber: number;
  percentage?: number;
  thingCount: number;
  createJob: PlannedCreateJob;
  /** Earliest first notification (ISO 8601, UTC). */
  startsAt: string;
  /** Latest time its last device finishes (ISO 8601, UTC), before its bake. */
  endsAt: string;
  /** From the wave's start to its last device, in minutes. */
  durationMinutes: PlanRange;
  bakeTimeMinutes: number;
  requireApproval: boolean;
}

interface PlanEstimate {
  /** From the request to the release's end, in whole minutes; gates not counted. */
  durationMinutes: PlanRange;
  /** Approval gates: each waits for a person, on top of the range. */
  gates: number;
  iotCalls: IotCallCounts;
  stepFunctions: { transitions: PlanRange; costUsd: PlanRange };
}

export interface ReleasePlan {
  releaseId: string;
  jobTemplateId: string;
  /** When the plan was made (ISO 8601): the time its estimate counts from. */
  plannedAt: string;
  waves: PlannedWave[];
  estimate: PlanEstimate;
  warnings: PlanWarning[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** One end of the timeline (earliest or latest), moved on wave by wave. */
interface Track {
  at: number;
}

/** Lays a rollout over windows; windows that never open are warned about and treated as open. */
function laid(
  schedule: WindowSchedule | undefined,
  startMs: number,
  rolloutMs: number,
): { rollout: WindowedRollout; neverOpens: boolean } {
  const windowed = layOverWindows(schedule, startMs, rolloutMs);
  if (windowed) return { rollout: windowed, neverOpens: false };
  return { rollout: layOverWindows(undefined, startMs, rolloutMs) as WindowedRollout, neverOpens: true };
}

/** Works out the plan of `input.request`. */
export function composeReleasePlan(input: PlanInput): ReleasePlan {
  const { request, template, schedule } = input;
  const start = Math.max(input.nowMs, schedule.startAt ?? input.nowMs);
  const early: Track = { at: start + minutesMs(WORKFLOW_OVERHEAD_MINUTES.releaseStart.min) };
  const late: Track = { at: start + minutesMs(WORKFLOW_OVERHEAD_MINUTES.releaseStart.max) };
  const warnings: PlanWarning[] = [];
  const waves: PlannedWave[] = [];
  const costs: WaveCostInput[] = [];
  /** The first wave the release's end may keep from starting, if any. */
  let cutShort: PlanWarning | undefined;

  input.waves.forEach((facts, index) => {
    const waveNumber = index + 1;
    const { definition, thingCount } = facts;
    const createJob = plannedCreateJob(facts.job, template);
    if (!cutShort) cutShort = endCutsWave(schedule, waveNumber, early.at, late.at);
    if (cutShort?.wave === waveNumber) warnings.push(cutShort);
    const windows = schedule.windowsByWave[index] ?? [];
    const windowed = windows.length > 0 ? windowSchedule(windows) : undefined;
    const device = deviceMinutes(thingCount);
    const rollout = rolloutMinutes(createJob.jobExecutionsRolloutConfig, thingCount, device.slowestMax);
    const first = laid(windowed, early.at, minutesMs(rollout.min));
    const last = laid(windowed, late.at, minutesMs(rollout.max));
    // The wave ends when its slowest device finishes: after the last one notified, and after the slowest.
    const endMin =
      Math.max(
        first.rollout.lastNotificationMs + minutesMs(device.lastMin),
        first.rollout.firstNotificationMs + minutesMs(device.slowestMin),
      ) + minutesMs(WORKFLOW_OVERHEAD_MINUTES.perWave.min);
    const endMax =
      last.rollout.lastNotificationMs + minutesMs(device.slowestMax + WORKFLOW_OVERHEAD_MINUTES.perWave.max);
    const durationMinutes = {
      min: (endMin - first.rollout.firstNotificationMs) / 60_000,
      max: (endMax - late.at) / 60_000,
    };

    waves.push({
      waveNumber,
      ...(definition.percentage !== undefined && { percentage: definition.percentage }),
      thingCount,
      createJob,
      startsAt: iso(first.rollout.firstNotificationMs),
      endsAt: iso(endMax),
      durationMinutes: { min: Math.floor(durationMinutes.min), max: Math.ceil(durationMinutes.max) },
      bakeTimeMinutes: definition.bakeTimeMinutes,
      requireApproval: definition.requireApproval,
    });
    warnings.push(
      ...rateWarning(thingCount, waveNumber),
      ...windowWarnings(waveNumber, last.rollout.days, last.neverOpens || first.neverOpens),
      ...thresholdWarnings(definition, waveNumber),
      ...hangWarning(thingCount, waveNumber, hangHold(createJob, definition)),
    );
    if (definition.percentage !== undefined && thingCount === 0) {
      warnings.push({
        code: 'EMPTY_COHORT',
        wave: waveNumber,
        message: `Wave ${waveNumber}'s cohort (${definition.percentage}% of the fleet) holds no thing: its job reaches nobody.`,
      });
    }
    // The wave's timeout counts only time its windows are open (docs/workflow.md), so compare that.
    const timedMinutes = windowed ? windowed.openTimeBetween(late.at, endMax) / 60_000 : durationMinutes.max;
    if (timedMinutes > definition.timeoutMinutes) {
      warnings.push({
        code: 'WAVE_MAY_TIME_OUT',
        wave: waveNumber,
        message: `Wave ${waveNumber} may take up to ${Math.ceil(timedMinutes)} minutes${windowed ? ' of open window time' : ''}, longer than its timeoutMinutes (${definition.timeoutMinutes}).`,
      });
    }
    costs.push({
      percentage: definition.percentage !== undefined,
      thingCount,
      bakeTimeMinutes: definition.bakeTimeMinutes,
      requireApproval: definition.requireApproval,
      looks: { min: 1, max: input.looksFor(definition, endMax - late.at) },
    });
    early.at = endMin + minutesMs(definition.bakeTimeMinutes);
    late.at = endMax + minutesMs(definition.bakeTimeMinutes);
  });

  warnings.unshift(...releaseWarnings(input));
  if (!cutShort && schedule.endAt !== undefined && schedule.endAt < late.at) {
    warnings.push({
      code: 'ENDS_BEFORE_FINISH',
      message: `The release may still be running at its end ${iso(schedule.endAt)} (the estimate's latest end is ${iso(late.at)}): there endBehavior ${schedule.endBehavior} applies and it ends CANCELED.`,
    });
  }
  const transitions = stateTransitions(
    costs,
    schedule.startAt !== undefined && schedule.startAt > input.nowMs,
  );
  const costInput: ReleaseCostInput = {
    ...namedTargetCounts(request),
    releaseGroupSizes: input.releaseGroupSizes,
    rollbackTemplate: request.onFailure?.rollback !== undefined,
    waves: costs,
  };
  return {
    releaseId: request.releaseId,
    jobTemplateId: request.jobTemplateId,
    plannedAt: iso(input.nowMs),
    waves,
    estimate: {
      durationMinutes: {
        min: Math.floor((early.at - input.nowMs) / 60_000),
        max: Math.ceil((late.at - input.nowMs) / 60_000),
      },
      gates: request.waves.filter((w) => w.requireApproval).length,
      iotCalls: iotCalls(costInput),
      stepFunctions: {
        transitions,
        costUsd: { min: transitionsCostUsd(transitions.min), max: transitionsCostUsd(transitions.max) },
      },
    },
    warnings,
  };
}

/** How long a hung device holds its wave: the job's in-progress timeout, else the wave's own timeout. */
function hangHold(createJob: PlannedCreateJob, definition: WaveDefinition): { minutes: number; by: string } {
  const inProgress = createJob.timeoutConfig?.inProgressTimeoutInMinutes;
  if (inProgress !== undefined)
    return { minutes: inProgress, by: "its job's in-progress timeout after the device's notification" };
  return { minutes: definition.timeoutMinutes, by: 'its timeoutMinutes' };
}

/** Distinct thing groups and things the request names, the release's and its waves'. */
function namedTargetCounts(request: ReleaseRequest): Pick<ReleaseCostInput, 'namedGroups' | 'namedThings'> {
  const groups = new Set(request.targets?.thingGroups ?? []);
  const things = new Set(request.targets?.things ?? []);
  for (const wave of request.waves) {
    for (const g of wave.targets?.thingGroups ?? []) groups.add(g);
    for (const t of wave.targets?.things ?? []) things.add(t);
  }
  return { namedGroups: groups.size, namedThings: things.size };
}

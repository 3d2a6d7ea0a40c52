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
import { hangWarning, type PlanWarning, rateWarning, thresholdWarnings } from './release-plan-warnings.js';
import type { ReleaseRequest, WaveDefinition } from './release-request.js';
import {
  effectiveWindows,
  endBehaviorOf,
  scheduledStartMs,
  WAVE_START_END_MARGIN_MS,
  workflowEndMs,
} from './release-schedule.js';

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

function windowWarnings(waveNumber: number, days: number, neverOpens: boolean): PlanWarning[] {
  if (neverOpens) {
    return [
      {
        code: 'WINDOWS_NEVER_OPEN',
        wave: waveNumber,
        message: `Wave ${waveNumber}'s maintenance windows never open: no device would be notified. The estimate treats them as open.`,
      },
    ];
  }
  if (days <= 1) return [];
  return [
    {
      code: 'WINDOWS_SPAN_DAYS',
      wave: waveNumber,
      message: `Wave ${waveNumber}'s maintenance windows are too short for its rollout: it spans ${days} days.`,
    },
  ];
}

/**
 * The workflow starts no wave within {@link WAVE_START_END_MARGIN_MS} of the
 * release's end: a wave whose start falls there is cut (its earliest start
 * does) or may be (its latest does), and the release ends by its end
 * behaviour instead.
 */
function endCutsWave(
  schedule: PlanSchedule,
  waveNumber: number,
  earliestStart: number,
  latestStart: number,
): PlanWarning | undefined {
  if (schedule.endAt === undefined) return undefined;
  const lastStart = schedule.endAt - WAVE_START_END_MARGIN_MS;
  if (latestStart <= lastStart) return undefined;
  const verdict = earliestStart > lastStart ? 'would not start' : 'may not start';
  return {
    code: 'ENDS_BEFORE_FINISH',
    wave: waveNumber,
    message: `Wave ${waveNumber} ${verdict}: no wave starts after ${iso(lastStart)}, ${WAVE_START_END_MARGIN_MS / 60_000} minutes before the release's end ${iso(schedule.endAt)}, where endBehavior ${schedule.endBehavior} applies and the release ends CANCELED.`,
  };
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

/** Warnings about the release as a whole: the template's timeout, a release already stored, a drawn release id. */
function releaseWarnings(input: PlanInput): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  if (input.template.timeoutConfig?.inProgressTimeoutInMinutes === undefined) {
    const own = input.request.waves.flatMap((w, i) =>
      w.timeoutConfig?.inProgressTimeoutInMinutes === undefined ? [] : [i + 1],
    );
    if (own.length < input.request.waves.length) {
      warnings.push({
        code: 'TEMPLATE_WITHOUT_TIMEOUT',
        message: `Job template ${input.template.jobTemplateId} sets no timeoutConfig.inProgressTimeoutInMinutes${own.length > 0 ? ` (only waves ${own.join(', ')} set their own)` : ''}: a device that hangs keeps its wave open until the wave's timeoutMinutes.`,
      });
    }
  }
  if (input.existingStatus !== undefined) {
    warnings.push({
      code: 'RELEASE_EXISTS',
      message: `Release ${input.request.releaseId} already exists for this request (${input.existingStatus}): a real request answers it as it stands and starts nothing. This plan is of that release as it was asked for.`,
    });
  }
  if (input.releaseIdDrawn) {
    warnings.push({
      code: 'RELEASE_ID_DRAWN',
      message: `The request names no releaseId, so the plan drew ${input.request.releaseId}. Cohorts follow the release id: give this releaseId to the real request to get exactly these cohorts.`,
    });
  }
  return warnings;
}

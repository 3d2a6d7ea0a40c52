/**
 * What a release costs to run, for release plans: the AWS IoT calls it
 * makes (the API's checks, the workflow's steps) and the Step Functions
 * state transitions of its execution, counted from the state machine's
 * structure (`state-machines/release-definition.ts`) for a release that
 * runs without a retry, a pause or a failure.
 */
import type { PlanRange } from './release-plan-rollout.js';

/**
 * Step Functions Standard workflows: USD 0.025 per 1,000 state
 * transitions (public price, us-east-1; the free tier left out).
 */
const USD_PER_STATE_TRANSITION = 0.025 / 1000;

/** ListThingsInThingGroup pages: the workflow reads 250 things a call. */
const THINGS_PER_PAGE = 250;

/** What a plan knows of one wave, for its costs. */
export interface WaveCostInput {
  /** A percentage wave's cohort is put in a thing group of its own. */
  percentage: boolean;
  thingCount: number;
  bakeTimeMinutes: number;
  requireApproval: boolean;
  /** How many times the workflow describes the wave's job (one per wake-up). */
  looks: PlanRange;
}

/** What a plan knows of the release, for its costs. */
export interface ReleaseCostInput {
  /** Distinct thing groups and things the request names (the API checks each). */
  namedGroups: number;
  namedThings: number;
  /** Things in each of the release's own thing groups (a percentage wave lists them all). */
  releaseGroupSizes: readonly number[];
  /** True when `onFailure.rollback` names a template (checked too). */
  rollbackTemplate: boolean;
  waves: readonly WaveCostInput[];
}

/** IoT calls per API, as ranges. */
export type IotCallCounts = Record<string, PlanRange>;

const exactly = (n: number): PlanRange => ({ min: n, max: n });

/** The longest single wait of a bake (`lib/workflow/wave-timing.ts`): one check per hour of bake. */
const BAKE_CHECK_MINUTES = 60;

/** CheckBake runs of a wave's bake: one after each wait, each describing the wave's job. */
function bakeChecks(w: Pick<WaveCostInput, 'bakeTimeMinutes'>): number {
  return w.bakeTimeMinutes > 0 ? Math.ceil(w.bakeTimeMinutes / BAKE_CHECK_MINUTES) : 0;
}

function pages(things: number): number {
  return Math.max(1, Math.ceil(things / THINGS_PER_PAGE));
}

/**
 * The IoT calls of one run of the release, by API: the API's checks
 * (DescribeJobTemplate, DescribeThingGroup, DescribeThing), StartRelease's
 * template look-up, each percentage wave reading the fleet, making and
 * filling its cohort group, each wave's CreateJob and DescribeJob (one per
 * look while it runs, one per bake check while it bakes), and the cohort
 * groups deleted at the end.
 */
export function iotCalls(input: ReleaseCostInput): IotCallCounts {
  const cohorts = input.waves.filter((w) => w.percentage);
  const fleetPages = input.releaseGroupSizes.reduce((sum, size) => sum + pages(size), 0);
  // Every look at a running wave and every bake check describes the wave's job.
  const describes = input.waves.reduce(
    (sum, w) => ({ min: sum.min + w.looks.min + bakeChecks(w), max: sum.max + w.looks.max + bakeChecks(w) }),
    { min: 0, max: 0 },
  );
  const calls: IotCallCounts = {
    DescribeJobTemplate: exactly(2 + (input.rollbackTemplate ? 1 : 0)),
    DescribeThingGroup: exactly(input.namedGroups + cohorts.length),
    DescribeThing: exactly(input.namedThings),
    ListThingsInThingGroup: exactly(cohorts.length * (fleetPages + 1)),
    CreateThingGroup: exactly(cohorts.length),
    AddThingToThingGroup: exactly(cohorts.reduce((sum, w) => sum + w.thingCount, 0)),
    CreateJob: exactly(input.waves.length),
    DescribeJob: describes,
    DeleteThingGroup: exactly(cohorts.length),
  };
  return Object.fromEntries(Object.entries(calls).filter(([, range]) => range.max > 0));
}

/**
 * State transitions of the release's execution (states entered): StartRelease
 * and its routing; per wave PrepareWave, StartWave, the wait for job events
 * and CheckWave with their routing, three more per extra look; BakeWave,
 * CheckBake and its routing per bake check; AwaitApproval and its routing
 * per gate; FinishRelease, its routing and the end. IoT-budget pacing waits
 * (none while the account is quiet) are not counted.
 */
export function stateTransitions(waves: readonly WaveCostInput[], waitsForStart = false): PlanRange {
  // A scheduled start: StartRelease records it SCHEDULED, WaitForStart, StartRelease again.
  const start = 2 + (waitsForStart ? 3 : 0);
  const finish = 3;
  const perWave = (w: WaveCostInput, looks: number): number =>
    4 + 3 * looks + 3 * bakeChecks(w) + (w.requireApproval ? 2 : 0);
  return {
    min: start + finish + waves.reduce((sum, w) => sum + perWave(w, w.looks.min), 0),
    max: start + finish + waves.reduce((sum, w) => sum + perWave(w, w.looks.max), 0),
  };
}

/** USD for `transitions` state transitions, to a millionth of a dollar. */
export function transitionsCostUsd(transitions: number): number {
  return Math.round(transitions * USD_PER_STATE_TRANSITION * 1e6) / 1e6;
}

/**
 * The kinds of release a crash run keeps in flight at once. A shape is a
 * release request, the status it must end in, and optionally what a person
 * does while it runs (approve at a gate, cancel or pause part-way). A new shape
 * (retry, rollback) is one more entry in {@link releaseShapes}.
 */
import type { ActionJournal } from './action-journal.js';
import type { ReleaseView } from './crash-api.js';

/** The things the harness creates through the IoT API, outside the seeded fleet, and makes fail. */
export const failingGroup = 'crash-failing';

/** How many things {@link failingGroup} holds. */
export const failingGroupSize = 30;

/** What a shape's `drive` sees on each turn of the driver. */
interface DriveContext {
  readonly apiUrl: string;
  readonly journal: ActionJournal;
  /** The release as last read (this life or an earlier one), undefined before the first read. */
  readonly view: ReleaseView | undefined;
  /** Which life of the stack this is (0 = the first). */
  readonly life: number;
  /** True on the first turn of a life, right after the banner: where a restart bites. */
  readonly firstAfterStart: boolean;
}

/** One kind of release. */
export interface ReleaseShape {
  readonly name: string;
  readonly releaseId: string;
  /** The terminal status the release must reach whatever the kills. */
  readonly expected: 'SUCCEEDED' | 'FAILED' | 'CANCELED';
  /** The body of `POST /releases`. */
  readonly request: Record<string, unknown>;
  /** The thing group whose members are the release fleet, when cohorts of percentage waves can be checked. */
  readonly fleetGroup?: string;
  /** What a person does on each turn of the driver; may send one action through the journal. */
  drive?(context: DriveContext): Promise<void>;
}

/** Thresholds loose enough that the default profiles' few failures (0.7 %) never decide a healthy wave. */
const healthy = { successThresholdPercent: 75, failureThresholdPercent: 50 };

/**
 * A shape releasing the `demo-ota` template in `waves`, to the thing group `group` when given
 * (which is then the fleet its percentage cohorts are drawn from).
 */
function demoShape(
  name: string,
  releaseId: string,
  expected: ReleaseShape['expected'],
  group: string | undefined,
  waves: readonly object[],
): ReleaseShape {
  return {
    name,
    releaseId,
    expected,
    ...(group !== undefined && { fleetGroup: group }),
    request: {
      releaseId,
      jobTemplateId: 'demo-ota',
      ...(group !== undefined && { targets: { thingGroups: [group] } }),
      waves,
    },
  };
}

/** The statuses a release never leaves. */
export const terminalStatuses: ReadonlySet<string> = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);

const percentage = (releaseId: string) =>
  demoShape('percentage waves', releaseId, 'SUCCEEDED', 'fleet', [
    { percentage: 1, ...healthy },
    { percentage: 10, ...healthy },
    { percentage: 100, ...healthy },
  ]);

const groups = (releaseId: string) =>
  demoShape('group waves', releaseId, 'SUCCEEDED', undefined, [
    { targets: { thingGroups: ['eu-central'] }, ...healthy },
    { targets: { thingGroups: ['ap-southeast', 'us-west'] }, ...healthy },
  ]);

const bake = (releaseId: string) =>
  demoShape('bake', releaseId, 'SUCCEEDED', 'us-east', [
    { percentage: 20, bakeTimeMinutes: 30, ...healthy },
    { percentage: 100, bakeTimeMinutes: 10, ...healthy },
  ]);

/** How long a person looks at a wave before answering its approval gate (wall clock). */
export const gateDwellMs = 2000;

/**
 * A release with an approval gate after each wave, answered `action` by a person who looks for
 * {@link gateDwellMs} first, or at once after a restart if the gate was open before the kill.
 */
function gate(
  name: string,
  releaseId: string,
  action: 'approve' | 'reject',
  expected: 'SUCCEEDED' | 'CANCELED',
  fleetGroup: string,
): ReleaseShape {
  const openSince = new Map<number, number>();
  return {
    ...demoShape(name, releaseId, expected, fleetGroup, [
      { percentage: 10, requireApproval: true, ...healthy },
      { percentage: 100, requireApproval: true, ...healthy },
    ]),
    async drive({ apiUrl, journal, view, life, firstAfterStart }) {
      if (view?.release.status !== 'WAITING_APPROVAL') return;
      const wave = view.release.currentWave ?? 0;
      const since = openSince.get(wave) ?? Date.now();
      openSince.set(wave, since);
      if (!firstAfterStart && Date.now() - since < gateDwellMs) return;
      // A person who gets no answer through keeps trying; the bound only keeps a broken run finite.
      if (journal.of(releaseId).length >= 40) return;
      await journal.send(apiUrl, releaseId, action, { life, firstAfterStart });
    },
  };
}

/** Its devices fail (the profile the harness sets), so the release must end FAILED after wave 1. */
function failing(releaseId: string): ReleaseShape {
  return demoShape('failing cohort', releaseId, 'FAILED', failingGroup, [
    {
      percentage: 50,
      failureThresholdPercent: 10,
      minExecutedThings: 5,
      // Slow enough that the few devices notified before the profile is set again after a restart
      // (profiles are not kept in the data dir) cannot turn the outcome.
      jobExecutionsRolloutConfig: { maximumPerMinute: 10 },
    },
    { percentage: 100 },
  ]);
}

/** Canceled through the API once wave 1 is part-way, its devices still running. */
function cancel(releaseId: string): ReleaseShape {
  return {
    ...demoShape('cancel', releaseId, 'CANCELED', 'gw-rev-c', [
      { percentage: 30, jobExecutionsRolloutConfig: { maximumPerMinute: 5 }, ...healthy },
      { percentage: 100, ...healthy },
    ]),
    async drive({ apiUrl, journal, view, life, firstAfterStart }) {
      if (view === undefined || view.release.status === 'CANCELED') return;
      // Once a cancel was answered (accepted or refused), a person does not send another.
      if (journal.of(releaseId).some((e) => e.status !== 0)) return;
      const wave1 = view.waves[0];
      if ((wave1?.counts?.numberOfSucceededThings ?? 0) < 1) return;
      await journal.send(apiUrl, releaseId, 'cancel', { life, firstAfterStart });
    },
  };
}

/**
 * Paused through the API once wave 1 is part-way (held before wave 2), then resumed by a person
 * who looks for {@link gateDwellMs} first, or at once after a restart. A pause is sent once (a
 * second would answer 200 and change nothing); a resume until one is answered.
 */
function pauseAndResume(releaseId: string): ReleaseShape {
  let heldSince: number | undefined;
  return {
    ...demoShape('pause and resume', releaseId, 'SUCCEEDED', 'gw-rev-b', [
      { percentage: 30, jobExecutionsRolloutConfig: { maximumPerMinute: 5 }, ...healthy },
      { percentage: 100, ...healthy },
    ]),
    async drive({ apiUrl, journal, view, life, firstAfterStart }) {
      if (view === undefined) return;
      const sent = journal.of(releaseId);
      if (view.release.status === 'IN_PROGRESS' && !sent.some((e) => e.action === 'pause')) {
        if ((view.waves[0]?.counts?.numberOfSucceededThings ?? 0) < 1) return;
        await journal.send(apiUrl, releaseId, 'pause', { life, firstAfterStart });
        return;
      }
      if (view.release.status !== 'PAUSED') return;
      heldSince ??= Date.now();
      if (!firstAfterStart && Date.now() - heldSince < gateDwellMs) return;
      if (sent.some((e) => e.action === 'resume' && e.status >= 200 && e.status < 300)) return;
      if (sent.length >= 40) return;
      await journal.send(apiUrl, releaseId, 'resume', { life, firstAfterStart });
    },
  };
}

/** The shapes of one run, each release named `<prefix>-<shape>`. */
export function releaseShapes(prefix: string): ReleaseShape[] {
  return [
    percentage(`${prefix}-percent`),
    groups(`${prefix}-groups`),
    bake(`${prefix}-bake`),
    gate('approval gate', `${prefix}-approval`, 'approve', 'SUCCEEDED', 'eu-west'),
    gate('rejected gate', `${prefix}-reject`, 'reject', 'CANCELED', 'gw-rev-a'),
    failing(`${prefix}-failing`),
    cancel(`${prefix}-cancel`),
    pauseAndResume(`${prefix}-pause`),
  ];
}

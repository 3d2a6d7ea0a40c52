/**
 * What every workflow task does around its own step: read the release and
 * the wave in hand, notice a cancellation made through the API, move the
 * release without ever overwriting a status someone else set, and build the
 * ARNs of a wave's job targets.
 */
import { ConflictError, ValidationError } from '../domain/errors.js';
import type { Release, ReleaseWithWaves, WaveState } from '../domain/release.js';
import type { WaveDefinition } from '../domain/release-request.js';
import type { ReleaseStore, ReleaseTransition } from '../domain/release-store.js';
import type { Instant } from '../domain/wave-evaluation.js';

/** The release and its waves; @throws NotFoundError */
export function loadRelease(store: ReleaseStore, releaseId: string): Promise<ReleaseWithWaves> {
  return store.getRelease(releaseId);
}

/** Wave `n` of a loaded release: its definition and its state. @throws ValidationError */
export function waveAt(
  { release, waves }: ReleaseWithWaves,
  waveNumber: number | undefined,
): { definition: WaveDefinition; state: WaveState; waveNumber: number } {
  const definition = waveNumber === undefined ? undefined : release.waves[waveNumber - 1];
  const state = waveNumber === undefined ? undefined : waves[waveNumber - 1];
  if (waveNumber === undefined || !definition || !state) {
    throw new ValidationError(`Release ${release.releaseId} has no wave ${String(waveNumber)}.`, [
      { path: 'state.waveNumber', message: `must be a wave of the release (1–${release.waves.length})` },
    ]);
  }
  return { definition, state, waveNumber };
}

/**
 * Moves the release, unless someone else moved it first. A ConflictError
 * from the store means the release is no longer where the workflow left it;
 * the stored release is read again and returned with `moved: false` when it
 * was canceled (through the API) or already has the status asked for, so the
 * caller can stop cleanly instead of overwriting it.
 * @throws ConflictError for any other status (a bug, or a concurrent workflow)
 */
export async function moveRelease(
  store: ReleaseStore,
  releaseId: string,
  transition: ReleaseTransition,
): Promise<{ release: Release; moved: boolean }> {
  try {
    const { value, changed } = await store.transitionRelease(releaseId, transition);
    return { release: value, moved: changed };
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const { release } = await store.getRelease(releaseId);
    if (release.status === 'CANCELED' || release.status === transition.to) return { release, moved: false };
    throw error;
  }
}

/** Text of the approval a person sent (`{ approvedBy?, comment? }`), for the release's status reason. */
function approvalReason(approval: unknown, waveNumber: number | undefined): string {
  const what = waveNumber === undefined ? 'Approved' : `Wave ${waveNumber} approved`;
  if (typeof approval !== 'object' || approval === null) return `${what}.`;
  const { approvedBy, comment, reason } = approval as {
    approvedBy?: unknown;
    comment?: unknown;
    reason?: unknown;
  };
  // The API's own reason, so the history says the same whichever of the two makes the move.
  if (typeof reason === 'string' && reason) return reason.slice(0, 1000);
  const by = typeof approvedBy === 'string' && approvedBy ? ` by ${approvedBy}` : '';
  const note = typeof comment === 'string' && comment ? `: ${comment}` : '';
  return `${what}${by}${note}`.slice(0, 1000);
}

/** Who approved, as the approval says. */
function approverOf(approval: unknown): string | undefined {
  const approvedBy = (approval as { approvedBy?: unknown } | null)?.approvedBy;
  return typeof approvedBy === 'string' && approvedBy ? approvedBy : undefined;
}

/**
 * After an approval, the release goes back from WAITING_APPROVAL to
 * IN_PROGRESS (the API may already have moved it). Returns the release as
 * it now stands: CANCELED if it was canceled meanwhile.
 */
export async function resumeAfterApproval(
  store: ReleaseStore,
  release: Release,
  at: Instant,
  approval: unknown,
  nextWave?: number,
): Promise<Release> {
  if (release.status !== 'WAITING_APPROVAL') return release;
  const { release: current } = await moveRelease(store, release.releaseId, {
    to: 'IN_PROGRESS',
    from: ['WAITING_APPROVAL'],
    reason: approvalReason(approval, release.currentWave),
    actor: approverOf(approval),
    ...(nextWave !== undefined && { currentWave: nextWave }),
    at,
  });
  return current;
}

/** `arn:aws:iot:<region>:<account>:` from any IoT ARN (the job template's): targets live beside it. */
export function iotArnPrefix(iotArn: string): string {
  const match = /^(arn:[\w-]+:iot:[\w-]+:\d{12}:)/.exec(iotArn);
  if (!match?.[1]) {
    throw new ValidationError(`Not an AWS IoT ARN: ${iotArn}`, [
      { path: 'state.jobTemplateArn', message: 'must be an AWS IoT job template ARN' },
    ]);
  }
  return match[1];
}

/**
 * The CreateJob targets of a wave: its cohort's thing group for a
 * percentage wave, else the thing groups and things it names, as ARNs in
 * the template's account and region.
 */
export function waveTargetArns(
  jobTemplateArn: string,
  definition: WaveDefinition,
  wave: WaveState,
): string[] {
  const prefix = iotArnPrefix(jobTemplateArn);
  if (definition.percentage !== undefined) {
    if (!wave.thingGroupName) {
      throw new ConflictError(`Wave ${wave.waveNumber} has no cohort thing group yet.`, wave.releaseId);
    }
    return [`${prefix}thinggroup/${wave.thingGroupName}`];
  }
  return [
    ...(definition.targets?.thingGroups ?? []).map((name) => `${prefix}thinggroup/${name}`),
    ...(definition.targets?.things ?? []).map((name) => `${prefix}thing/${name}`),
  ];
}

/** True when two target lists name the same targets, in any order. */
export function sameTargets(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((t) => right.has(t));
}

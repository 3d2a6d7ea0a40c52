/**
 * Where a release already under way picks up when a new workflow execution
 * starts for it (the local stack resuming after a restart): the approval
 * gate it was waiting at, the rest of the bake of a wave that was baking,
 * the first wave that has not succeeded, or the end when every wave has;
 * a PAUSED release is held again (release-pause.ts). A retry or rollback
 * whose target set was not complete in its group yet gathers it first.
 */
import type { ReleaseStatus, WaveStatus } from './statuses.js';

export type ResumePoint =
  /** A retry's or rollback's target set, gathered into its group (again from the start), then wave 1. */
  | { readonly step: 'gather' }
  /** The hold of a PAUSED release, entered again with a new token. */
  | { readonly step: 'hold' }
  /** The approval gate after wave `waveNumber`, entered again with a new token. */
  | { readonly step: 'approval'; readonly waveNumber: number }
  /** The rest of wave `waveNumber`'s bake, counted from when it began, then its check. */
  | { readonly step: 'bake'; readonly waveNumber: number }
  /** Wave `waveNumber`: its job carries on when it had started, else it starts. */
  | { readonly step: 'wave'; readonly waveNumber: number; readonly started: boolean }
  /** Every wave succeeded: the release finishes. */
  | { readonly step: 'finish' };

/**
 * Where a release that is PENDING, IN_PROGRESS, WAITING_APPROVAL or PAUSED
 * resumes, given its waves. With the wave definitions (`release.waves`, as a
 * new execution after a restart passes them), a gate that should have
 * opened after a succeeded wave and has no approval recorded opens now.
 */
export function resumePoint(
  release: {
    readonly status: ReleaseStatus;
    readonly currentWave?: number;
    /** The wave definitions, for their approval gates (only `requireApproval` is read). */
    readonly waves?: readonly unknown[];
    /** A retry's or rollback's target set: until `gatheredAt`, no wave may start. */
    readonly targetSet?: { readonly gatheredAt?: string | undefined } | undefined;
  },
  waves: readonly {
    readonly waveNumber: number;
    readonly status: WaveStatus;
    readonly approvedAt?: string;
  }[],
): ResumePoint {
  if (release.status === 'PAUSED') return { step: 'hold' };
  // A release waits for approval only after a wave it recorded as current.
  if (release.status === 'WAITING_APPROVAL' && release.currentWave !== undefined) {
    return { step: 'approval', waveNumber: release.currentWave };
  }
  const sorted = [...waves].sort((a, b) => a.waveNumber - b.waveNumber);
  const first = sorted.find((wave) => wave.status !== 'SUCCEEDED');
  // The stop came between a wave's success and its approval gate opening: the gate opens now,
  // never skipped. A gate that was approved records it on its wave (`approvedAt`).
  const before = first === undefined ? sorted.at(-1) : sorted[first.waveNumber - 2];
  if (
    before?.status === 'SUCCEEDED' &&
    before.approvedAt === undefined &&
    needsApproval(release.waves?.[before.waveNumber - 1]) &&
    (first === undefined || first.status === 'PENDING')
  ) {
    return { step: 'approval', waveNumber: before.waveNumber };
  }
  if (!first) return { step: 'finish' };
  // No wave of a retry or rollback starts before its set is complete in the group its targets name.
  if (
    release.targetSet !== undefined &&
    release.targetSet.gatheredAt === undefined &&
    first.status === 'PENDING'
  ) {
    return { step: 'gather' };
  }
  if (first.status === 'BAKING') return { step: 'bake', waveNumber: first.waveNumber };
  return { step: 'wave', waveNumber: first.waveNumber, started: first.status !== 'PENDING' };
}

function needsApproval(definition: unknown): boolean {
  return (definition as { requireApproval?: unknown } | undefined)?.requireApproval === true;
}

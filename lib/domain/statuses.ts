/**
 * The lifecycles of a release and of its waves, as pure transition tables.
 * The repository turns every allowed move into a conditional write
 * (`status IN (:from)`), so a retried or concurrent workflow task can never
 * move a release or a wave backwards.
 */
import * as z from 'zod';

export const releaseStatuses = [
  'PENDING',
  'SCHEDULED',
  'IN_PROGRESS',
  'WAITING_APPROVAL',
  'PAUSED',
  'SUCCEEDED',
  'FAILED',
  'CANCELED',
] as const;
export const releaseStatusSchema = z.enum(releaseStatuses);
export type ReleaseStatus = z.infer<typeof releaseStatusSchema>;

export const waveStatuses = [
  'PENDING',
  'IN_PROGRESS',
  'BAKING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'CANCELED',
] as const;
export const waveStatusSchema = z.enum(waveStatuses);
export type WaveStatus = z.infer<typeof waveStatusSchema>;

/**
 * Release moves. A release waits for approval after a wave whose
 * `requireApproval` is set and goes back to IN_PROGRESS when approved; a rejected approval ends it as CANCELED (or
 * FAILED when the workflow decides so). A PENDING release can fail (the
 * workflow could not start) or be canceled before its first wave. A release
 * is PAUSED only while the workflow holds it (release-pause.ts): from
 * IN_PROGRESS at a wave boundary or in a bake, back to IN_PROGRESS when
 * resumed, or canceled while held. A release with a `schedulingConfig.startTime`
 * ahead is SCHEDULED from its workflow's first step until that time: no job
 * exists yet, so it can still be canceled, or fail (its template gone).
 */
export const releaseTransitions: Readonly<Record<ReleaseStatus, readonly ReleaseStatus[]>> = {
  PENDING: ['SCHEDULED', 'IN_PROGRESS', 'FAILED', 'CANCELED'],
  SCHEDULED: ['IN_PROGRESS', 'FAILED', 'CANCELED'],
  IN_PROGRESS: ['WAITING_APPROVAL', 'PAUSED', 'SUCCEEDED', 'FAILED', 'CANCELED'],
  WAITING_APPROVAL: ['IN_PROGRESS', 'FAILED', 'CANCELED'],
  PAUSED: ['IN_PROGRESS', 'FAILED', 'CANCELED'],
  SUCCEEDED: [],
  FAILED: [],
  CANCELED: [],
};

/**
 * Wave moves. A wave with no bake time may go from IN_PROGRESS straight to
 * SUCCEEDED; a bake can still fail (failures crossed the threshold during
 * the bake). A wave that never started is CANCELED when the release stops.
 */
export const waveTransitions: Readonly<Record<WaveStatus, readonly WaveStatus[]>> = {
  PENDING: ['IN_PROGRESS', 'CANCELED'],
  IN_PROGRESS: ['BAKING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELED'],
  BAKING: ['SUCCEEDED', 'FAILED', 'CANCELED'],
  SUCCEEDED: [],
  FAILED: [],
  TIMED_OUT: [],
  CANCELED: [],
};

/** True when the table allows `from → to` (a status never "moves" to itself). */
export function canTransition<S extends string>(
  table: Readonly<Record<S, readonly S[]>>,
  from: S,
  to: S,
): boolean {
  return table[from].includes(to);
}

/** True when a release with this status will never change again. */
export function isTerminalReleaseStatus(status: ReleaseStatus): boolean {
  return releaseTransitions[status].length === 0;
}

/** True when a wave with this status will never change again. */
export function isTerminalWaveStatus(status: WaveStatus): boolean {
  return waveTransitions[status].length === 0;
}

/** The statuses a release can reach `to` from: the default `from` list of a transition. */
export function releaseStatusesLeadingTo(to: ReleaseStatus): ReleaseStatus[] {
  return releaseStatuses.filter((s) => canTransition(releaseTransitions, s, to));
}

/** The statuses a wave can reach `to` from. */
export function waveStatusesLeadingTo(to: WaveStatus): WaveStatus[] {
  return waveStatuses.filter((s) => canTransition(waveTransitions, s, to));
}

/**
 * AWS IoT's job execution statuses. The local emulator stores a status as
 * its index in this list (local/iot/jobs/execution-table.ts): the order is
 * pinned by a unit test (test/unit/iot/execution-status-encoding.test.ts).
 */
export const jobExecutionStatuses = [
  'QUEUED',
  'IN_PROGRESS',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'REJECTED',
  'REMOVED',
  'CANCELED',
] as const;

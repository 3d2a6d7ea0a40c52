/**
 * StartWave: creates the wave's IoT job from the release's job template
 * with the wave's overrides and targets, under the deterministic id
 * `<releaseId>-w<nn>` that PrepareWave already recorded. If the id is
 * taken (a retry after CreateJob succeeded but before the record caught
 * up), the existing job is described and adopted when it is this wave's own
 * (same template, same targets); any other job with that id fails the
 * release with ForeignJobError. Never a second job. Then the record
 * catches up (the job's first counters), the start is announced, and the
 * machine waits for the first poll. A halted wave's follow-up job
 * (`<releaseId>-w<nn>-r<k>`, recorded by PrepareWave) is created and adopted
 * the same way. A CreateJob IoT refuses for its end time ends the release
 * by its end behaviour: its end has in effect come.
 */
import { ConflictError, ValidationError } from '../domain/errors.js';
import { mayStartWave } from '../domain/release-schedule.js';
import { toEpochMs } from '../domain/wave-evaluation.js';
import { ZERO_COUNTS } from '../domain/wave-progress.js';
import { endAtEndTime } from './end-at-end-time.js';
import { EndTimeRefusedError, ForeignJobError } from './errors.js';
import type { WaveJobRequest, WorkflowDeps } from './ports.js';
import { loadRelease, waveAt } from './release-context.js';
import { waveStarted } from './release-events.js';
import { isOwnJob, waveCreateJob } from './wave-jobs.js';
import { waveSchedule } from './wave-schedule.js';
import { firstPollSeconds, waitPolicyFor } from './wave-timing.js';
import { safetyNetSecondsFor } from './wave-wake-timing.js';
import { carried, type TaskEvent, type WorkflowState } from './workflow-state.js';

/** CreateJob; `'ended'` when IoT refused the job's end time, which has in effect come. */
async function createOrEnd(
  deps: WorkflowDeps,
  request: WaveJobRequest,
): Promise<Awaited<ReturnType<WorkflowDeps['jobs']['create']>> | 'ended'> {
  try {
    return await deps.jobs.create(request);
  } catch (error) {
    if (error instanceof EndTimeRefusedError) return 'ended';
    throw error;
  }
}

export async function startWave(deps: WorkflowDeps, { state, now }: TaskEvent): Promise<WorkflowState> {
  const loaded = await loadRelease(deps.store, state.releaseId);
  const { release } = loaded;
  const { definition, state: wave, waveNumber } = waveAt(loaded, state.waveNumber);
  const out = carried(state);
  if (release.status === 'CANCELED') return { ...out, next: 'canceled' };
  if (!state.jobTemplateArn) {
    throw new ValidationError('StartWave needs the job template ARN StartRelease resolved.', [
      { path: 'state.jobTemplateArn', message: 'is required' },
    ]);
  }
  if (wave.status !== 'IN_PROGRESS' || !wave.jobId || !wave.startedAt) {
    throw new ConflictError(
      `Wave ${waveNumber} of release ${release.releaseId} is ${wave.status}; PrepareWave must start it first.`,
      release.releaseId,
    );
  }

  const nowMs = toEpochMs(now);
  if (!mayStartWave(release, nowMs)) return { ...out, ...(await endAtEndTime(deps, release, now)) };
  const request = waveCreateJob(release, state.jobTemplateArn, definition, wave, nowMs);
  const created = await createOrEnd(deps, request);
  if (created === 'ended') return { ...out, ...(await endAtEndTime(deps, release, now)) };
  let observed = { counts: { ...ZERO_COUNTS }, jobStatus: 'IN_PROGRESS', jobArn: created.jobArn };
  if (!created.created) {
    const job = await deps.jobs.describe(request.jobId);
    if (!isOwnJob(job, request)) {
      throw new ForeignJobError(
        `IoT job ${request.jobId} already exists and is not wave ${waveNumber}'s own (template ${job.jobTemplateArn ?? 'none'}, ${job.targets.length} targets); fleetwave does not adopt or replace it.`,
        request.jobId,
      );
    }
    observed = { counts: job.counts, jobStatus: job.status, jobArn: job.jobArn };
  }

  // The wave's deadline is set once here, when its clock starts (or goes on after a halt).
  const schedule = waveSchedule(release, wave, state, now);
  // The wave's counters are those of all its jobs together: for a follow-up job, CheckWave's first
  // look describes each and records them; until then the wave keeps those of its earlier jobs.
  const first = request.jobId === wave.jobId;
  const recorded =
    first || schedule.clock
      ? (
          await deps.store.recordWaveProgress(release.releaseId, waveNumber, {
            counts: first ? observed.counts : (wave.counts ?? { ...ZERO_COUNTS }),
            jobStatus: first ? observed.jobStatus : (wave.jobStatus ?? observed.jobStatus),
            polledAt: now,
            window: schedule.window,
            clock: schedule.clock,
          })
        ).value
      : wave;
  await deps.notifier.publish(waveStarted(release, recorded, now, observed.jobArn));
  // A halt asked for this very job (recorded before it existed, so the API's CancelJob found
  // nothing): CheckWave looks at once, and its look cancels the job before more devices hear of it.
  if (release.pause?.haltedJobId === request.jobId) return { ...out, next: 'check' };
  const { startedAt, deadlineMs } = schedule;
  const waitSeconds = firstPollSeconds(deadlineMs, nowMs, waitPolicyFor(definition));
  const safetyNetSeconds = schedule.sleep(
    safetyNetSecondsFor({ startedAt, jobId: request.jobId, deadlineMs }, now, definition),
  );
  return { ...out, next: 'poll', poll: { waitSeconds, safetyNetSeconds } };
}

/**
 * The tasks of a scheduled release with in-memory fakes: StartRelease
 * records a release whose start is ahead SCHEDULED and sends it to
 * WaitForStart; each wave's CreateJob carries its windows (the wave's, else
 * the release's; none, so IoT applies the template's) and the release's end
 * when it is 30 minutes ahead or more; the template's windows shape the
 * wave's watch; no wave starts within 46 minutes of the end, and a
 * CreateJob IoT refuses for its end time ends the release by its end
 * behaviour.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/domain/errors.js';
import type { ReleaseRequestInput } from '../../../lib/domain/release-request.js';
import { EndTimeRefusedError } from '../../../lib/workflow/errors.js';
import { prepareWave } from '../../../lib/workflow/prepare-wave.js';
import { startRelease } from '../../../lib/workflow/start-release.js';
import { startWave } from '../../../lib/workflow/start-wave.js';
import { type FakeWorkflow, fakeWorkflow, NOW, TEMPLATE_ARN } from './fakes.js';

const NIGHTLY = { startTime: 'cron(0 2 * * ? *)', durationInMinutes: 60 };
const WEEKLY = { startTime: 'cron(0 3 ? * SUN *)', durationInMinutes: 120 };
/** NOW is 2026-01-01T00:00Z. */
const at = (minutes: number) => new Date(Date.parse(NOW) + minutes * 60_000).toISOString();

async function started(deps: FakeWorkflow, request: Partial<ReleaseRequestInput>, now = NOW) {
  await deps.store.seed({
    releaseId: 'r1',
    jobTemplateId: 'fw-2-0',
    waves: [
      { targets: { things: ['t1'] } },
      { targets: { things: ['t2'] } },
      { targets: { things: ['t3'] } },
    ],
    ...request,
  } as ReleaseRequestInput);
  return startRelease(deps, { state: { releaseId: 'r1' }, now });
}

/** Runs PrepareWave and StartWave for each wave in turn, each at `now`; returns each CreateJob. */
async function createJobs(deps: FakeWorkflow, state: Awaited<ReturnType<typeof started>>, now = NOW) {
  for (let waveNumber = 1; waveNumber <= (state.waveCount ?? 0); waveNumber++) {
    const prepared = await prepareWave(deps, { state: { ...state, nextWaveNumber: waveNumber }, now });
    await startWave(deps, { state: prepared, now });
  }
  return deps.jobs.requests.map((r) => r.schedulingConfig);
}

describe('a scheduled release, task by task', () => {
  it('StartRelease records SCHEDULED and waits in WaitForStart until the start time; no announcement', async () => {
    const deps = fakeWorkflow();
    const out = await started(deps, { schedulingConfig: { startTime: '2026-01-01T06:30' } }, NOW);
    expect(out).toMatchObject({ next: 'schedule', start: { at: '2026-01-01T06:30:00.000Z' } });
    expect((await deps.store.getRelease('r1')).release).toMatchObject({
      status: 'SCHEDULED',
      statusReason: 'Scheduled to start at 2026-01-01T06:30 UTC.',
    });
    expect(deps.notifier.types).toEqual([]);

    const again = await startRelease(deps, { state: out, now: '2026-01-01T06:30:00.000Z' });
    expect(again).toMatchObject({ next: 'wave', nextWaveNumber: 1, jobTemplateArn: TEMPLATE_ARN });
    expect((await deps.store.getRelease('r1')).release.status).toBe('IN_PROGRESS');
    expect(deps.notifier.types).toEqual(['Release Started']);
  });

  it("puts the workflow's end in the state for gates and holds: the end time, else the end of the release's lifetime", async () => {
    const withEnd = await started(fakeWorkflow(), { schedulingConfig: { endTime: '2026-01-03T00:00' } });
    expect(withEnd.endsAt).toBe('2026-01-03T00:00:00.000Z');
    const deps = fakeWorkflow();
    const withoutEnd = await started(deps, {});
    const { createdAt } = (await deps.store.getRelease('r1')).release;
    expect(Date.parse(withoutEnd.endsAt ?? '') - Date.parse(createdAt)).toBe(364 * 24 * 3_600_000);
  });

  it("gives each CreateJob the wave's windows, else the release's, and the end with its behaviour", async () => {
    const deps = fakeWorkflow();
    const state = await started(deps, {
      schedulingConfig: { endTime: '2026-01-03T00:00', endBehavior: 'CANCEL', maintenanceWindows: [NIGHTLY] },
      waves: [
        { targets: { things: ['t1'] }, maintenanceWindows: [WEEKLY] },
        { targets: { things: ['t2'] } },
        { targets: { things: ['t3'] }, maintenanceWindows: [] },
      ],
    });
    const end = { endTime: '2026-01-03T00:00', endBehavior: 'CANCEL' };
    expect(await createJobs(deps, state)).toEqual([
      { ...end, maintenanceWindows: [WEEKLY] },
      { ...end, maintenanceWindows: [NIGHTLY] },
      { ...end, maintenanceWindows: [] },
    ]);
  });

  it("sends no windows when none is asked for (IoT applies the template's), yet watches the wave by the template's", async () => {
    const deps = fakeWorkflow();
    deps.templates.resolve = async () => ({ jobTemplateArn: TEMPLATE_ARN, maintenanceWindows: [NIGHTLY] });
    const state = await started(deps, {});
    expect(state.templateWindows).toEqual([NIGHTLY]);
    const prepared = await prepareWave(deps, { state, now: NOW });
    const out = await startWave(deps, { state: prepared, now: NOW });
    expect(deps.jobs.requests[0]?.schedulingConfig).toBeUndefined();
    // Closed until 02:00: the wave's first safety net (5 minutes, stretched by up to 20 %) counts
    // open time, so it ends just after the opening; its record says it waits for its window.
    expect(out.poll?.safetyNetSeconds).toBeGreaterThanOrEqual(2 * 3600 + 300);
    expect(out.poll?.safetyNetSeconds).toBeLessThanOrEqual(2 * 3600 + 360);
    expect((await deps.store.getWave('r1', 1)).window).toEqual({
      open: false,
      opensAt: '2026-01-01T02:00:00.000Z',
    });
  });

  it("fails at StartRelease, before any job, when the template's windows cannot be read", async () => {
    const deps = fakeWorkflow();
    deps.templates.resolve = async () => ({
      jobTemplateArn: TEMPLATE_ARN,
      maintenanceWindows: [NIGHTLY, { startTime: 'cron(0 2 * *)', durationInMinutes: 60 }],
    });
    const failed = started(deps, {});
    await expect(failed).rejects.toBeInstanceOf(ValidationError);
    await expect(failed).rejects.toMatchObject({
      message: expect.stringMatching(
        /^Job template fw-2-0 has maintenance windows fleetwave cannot read \(cron\(0 2 \* \*\) /,
      ),
      details: [{ path: 'jobTemplate.maintenanceWindows.1.startTime', message: expect.any(String) }],
    });
    expect(deps.jobs.requests).toEqual([]);
  });

  it('starts no wave within 46 minutes of the end time: the release ends CANCELED by its end behaviour', async () => {
    const deps = fakeWorkflow();
    const state = await started(deps, { schedulingConfig: { endTime: '2026-01-01T01:00' } });
    const early = await prepareWave(deps, { state, now: at(14) });
    expect(early.next).toBe('start');
    // 30 minutes ahead is not enough: a retried CreateJob would reach IoT with its end under 30 minutes ahead.
    const late = await prepareWave(deps, { state: { ...state, nextWaveNumber: 2 }, now: at(30) });
    expect(late.next).toBe('canceled');
    expect((await deps.store.getRelease('r1')).release).toMatchObject({
      status: 'CANCELED',
      statusActor: 'fleetwave',
      endedAtEndTime: 'STOP_ROLLOUT',
    });
    expect((await deps.store.getWave('r1', 2)).status).toBe('PENDING');
    expect(deps.jobs.requests).toEqual([]);
  });

  it('ends the release by its end behaviour, not FAILED, when IoT refuses the job for its end time', async () => {
    const deps = fakeWorkflow();
    const state = await started(deps, {
      schedulingConfig: { endTime: '2026-01-01T01:00', endBehavior: 'CANCEL' },
    });
    const prepared = await prepareWave(deps, { state, now: NOW });
    deps.jobs.failNext('create', new EndTimeRefusedError('AWS IoT refused the end time.', 'r1-w01'));
    const out = await startWave(deps, { state: prepared, now: NOW });
    expect(out.next).toBe('canceled');
    expect((await deps.store.getRelease('r1')).release).toMatchObject({
      status: 'CANCELED',
      endedAtEndTime: 'CANCEL',
    });
  });
});

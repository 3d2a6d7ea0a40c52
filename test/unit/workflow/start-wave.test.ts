/**
 * PrepareWave + StartWave with in-memory fakes: the record is written before
 * CreateJob, a throttled CreateJob is retried by re-running the task, a
 * re-run after the job exists adopts it (never a second job), a foreign job
 * with the wave's id fails, and a release canceled meanwhile stops.
 */
import { describe, expect, it } from 'vitest';
import { NotFoundError, ThrottledError } from '../../../lib/domain/errors.js';
import { ForeignJobError } from '../../../lib/workflow/errors.js';
import { prepareWave } from '../../../lib/workflow/prepare-wave.js';
import { startRelease } from '../../../lib/workflow/start-release.js';
import { startWave } from '../../../lib/workflow/start-wave.js';
import type { WorkflowState } from '../../../lib/workflow/workflow-state.js';
import { type FakeWorkflow, fakeWorkflow, LIFETIME_END, NOW, TEMPLATE_ARN } from './fakes.js';

const things = ['t1', 't2', 't3'];

async function preparedRelease(deps: FakeWorkflow, releaseId = 'r1'): Promise<WorkflowState> {
  await deps.store.seed({
    releaseId,
    jobTemplateId: 'fw-2-0',
    waves: [{ targets: { things: things.slice(0, 2) } }, { targets: { things: things.slice(2) } }],
  });
  const started = await startRelease(deps, { state: { releaseId }, now: NOW });
  return prepareWave(deps, { state: started, now: NOW });
}

describe('StartWave', () => {
  it('records the wave IN_PROGRESS with its job id before CreateJob, then creates exactly that job', async () => {
    const deps = fakeWorkflow();
    const prepared = await preparedRelease(deps);
    expect(prepared).toMatchObject({ next: 'start', waveNumber: 1, jobTemplateArn: TEMPLATE_ARN });
    expect(await deps.store.getWave('r1', 1)).toMatchObject({
      status: 'IN_PROGRESS',
      jobId: 'r1-w01',
      expectedThings: 2,
    });
    expect(deps.jobs.jobs.size).toBe(0);

    const out = await startWave(deps, { state: prepared, now: NOW });
    expect(out).toEqual({
      releaseId: 'r1',
      endsAt: LIFETIME_END,
      jobTemplateArn: TEMPLATE_ARN,
      waveCount: 2,
      waveNumber: 1,
      next: 'poll',
      // The first safety-net look: 5 min, stretched by this wave's own spread (r1-w01).
      poll: { waitSeconds: 15, safetyNetSeconds: 358 },
    });
    expect(deps.jobs.jobs.get('r1-w01')).toMatchObject({
      jobTemplateArn: TEMPLATE_ARN,
      targets: ['arn:aws:iot:us-east-1:123456789012:thing/t1', 'arn:aws:iot:us-east-1:123456789012:thing/t2'],
    });
    expect(deps.notifier.types).toEqual(['Release Started', 'Wave Started 1']);
  });

  it('throws ThrottledError for a throttled CreateJob (the state machine retries), and the re-run creates one job', async () => {
    const deps = fakeWorkflow();
    const prepared = await preparedRelease(deps);
    deps.jobs.failNext('create', new ThrottledError('slow down', 1));
    await expect(startWave(deps, { state: prepared, now: NOW })).rejects.toBeInstanceOf(ThrottledError);
    expect(deps.jobs.jobs.size).toBe(0);
    await startWave(deps, { state: prepared, now: NOW });
    expect([...deps.jobs.jobs.keys()]).toEqual(['r1-w01']);
  });

  it('adopts its own job on a re-run after CreateJob succeeded but the task died: one job, the record catches up', async () => {
    const deps = fakeWorkflow();
    const prepared = await preparedRelease(deps);
    // The first attempt created the job, then its write failed.
    deps.store.recordWaveProgress = async () => {
      throw new ThrottledError('table throttled', 1);
    };
    const record = Object.getPrototypeOf(deps.store).recordWaveProgress.bind(deps.store);
    await expect(startWave(deps, { state: prepared, now: NOW })).rejects.toBeInstanceOf(ThrottledError);
    expect(deps.jobs.jobs.size).toBe(1);
    expect((await deps.store.getWave('r1', 1)).jobStatus).toBeUndefined();

    deps.store.recordWaveProgress = record;
    deps.jobs.progress('r1-w01', { counts: { numberOfInProgressThings: 2, numberOfQueuedThings: 0 } });
    const out = await startWave(deps, { state: prepared, now: NOW });
    expect(out.next).toBe('poll');
    expect(deps.jobs.calls.filter((c) => c === 'create')).toHaveLength(2);
    expect(deps.jobs.jobs.size).toBe(1);
    expect(await deps.store.getWave('r1', 1)).toMatchObject({
      jobStatus: 'IN_PROGRESS',
      counts: { numberOfInProgressThings: 2 },
    });
  });

  it('run twice, creates one job and one status change and answers the same; only newer counters are written', async () => {
    const deps = fakeWorkflow();
    const prepared = await preparedRelease(deps);
    const first = await startWave(deps, { state: prepared, now: NOW });
    const writes = deps.store.writes;
    const second = await startWave(deps, { state: prepared, now: NOW });
    expect(second).toEqual(first);
    // The re-run described the job it adopted: its QUEUED executions are the one change recorded.
    expect(deps.store.writes).toBe(writes + 1);
    expect((await deps.store.getWave('r1', 1)).counts?.numberOfQueuedThings).toBe(2);
    expect(deps.jobs.jobs.size).toBe(1);
    expect(deps.store.history.filter((e) => e.type === 'WAVE_STATUS_CHANGED')).toHaveLength(1);
  });

  it('refuses a foreign job that has the wave id (another template): ForeignJobError, the job untouched', async () => {
    const deps = fakeWorkflow();
    const prepared = await preparedRelease(deps);
    await deps.jobs.create({
      jobId: 'r1-w01',
      jobTemplateArn: 'arn:aws:iot:us-east-1:123456789012:jobtemplate/other',
      targets: ['arn:aws:iot:us-east-1:123456789012:thing/t1', 'arn:aws:iot:us-east-1:123456789012:thing/t2'],
      overrides: { abortConfig: { criteriaList: [] } },
      description: 'someone else',
    });
    await expect(startWave(deps, { state: prepared, now: NOW })).rejects.toBeInstanceOf(ForeignJobError);
    expect(deps.jobs.jobs.get('r1-w01')?.status).toBe('IN_PROGRESS');
    expect(deps.jobs.calls).not.toContain('cancel');
  });

  it('lets a missing template or target surface as NotFoundError (caught into RecordFailure)', async () => {
    const deps = fakeWorkflow();
    const prepared = await preparedRelease(deps);
    deps.jobs.failNext('create', new NotFoundError('Thing t2 cannot be found.'));
    await expect(startWave(deps, { state: prepared, now: NOW })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('stops at a release canceled through the API, creating nothing', async () => {
    const deps = fakeWorkflow();
    const prepared = await preparedRelease(deps);
    await deps.store.transitionRelease('r1', { to: 'CANCELED', reason: 'by alice' });
    const out = await startWave(deps, { state: prepared, now: NOW });
    expect(out.next).toBe('canceled');
    expect(deps.jobs.jobs.size).toBe(0);
  });

  it('fails StartRelease with NotFoundError for a template that does not exist, after recording IN_PROGRESS', async () => {
    const deps = fakeWorkflow();
    await deps.store.seed({ releaseId: 'r2', jobTemplateId: 'gone', waves: [{ targets: { things } }] });
    await expect(startRelease(deps, { state: { releaseId: 'r2' }, now: NOW })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect((await deps.store.getRelease('r2')).release.status).toBe('IN_PROGRESS');
  });
});

/**
 * The job service port as the fleet simulator uses it: only legal moves,
 * exact counters, and the AWS job and job-execution events on their topics.
 */
import {
  CancelJobCommand,
  CreateJobCommand,
  DeleteJobCommand,
  DescribeJobCommand,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExecutionStatus } from '../../../local/iot/jobs/job-service-port.js';
import { type IotEndpoint, startIotEndpoint } from '../../support/iot-endpoint.js';
import { groupArn, seedGroup, thingArn } from './iot-fixtures.js';

interface Published {
  topic: string;
  payload: Record<string, unknown>;
}

describe('IoT job service port', () => {
  let ep: IotEndpoint;
  let events: Published[];
  let unsubscribe: () => void;
  let jobCount = 0;

  /** Creates a job over the SDK on a fresh 4-thing group and returns its id. */
  async function newJob(extra: { targetSelection?: 'CONTINUOUS' | 'SNAPSHOT' } = {}): Promise<string> {
    const jobId = `job-${++jobCount}`;
    seedGroup(ep.emulator, `${jobId}-g`, 4, `${jobId}-t`);
    await ep.iot.send(
      new CreateJobCommand({ jobId, targets: [groupArn(`${jobId}-g`)], document: '{}', ...extra }),
    );
    return jobId;
  }

  beforeAll(async () => {
    ep = await startIotEndpoint();
    unsubscribe = ep.emulator.events.subscribe((topic, payload) =>
      events.push({ topic, payload: payload as Record<string, unknown> }),
    );
  });
  beforeEach(() => {
    events = [];
  });
  afterAll(async () => {
    unsubscribe();
    await ep.close();
  });

  it('refuses illegal moves and changes nothing when it does', async () => {
    const jobId = await newJob();
    const port = ep.emulator.jobs;
    expect(port.transition(jobId, `${jobId}-t-0`, 'TIMED_OUT')).toBe(false); // only IN_PROGRESS can time out
    expect(port.transition(jobId, `${jobId}-t-0`, 'QUEUED')).toBe(false);
    expect(port.transition(jobId, `${jobId}-t-0`, 'SUCCEEDED')).toBe(true);
    expect(port.transition(jobId, `${jobId}-t-0`, 'FAILED')).toBe(false); // terminal stays terminal
    expect(port.transition(jobId, `${jobId}-t-0`, 'IN_PROGRESS')).toBe(false);
    expect(port.transition(jobId, 'not-a-target', 'IN_PROGRESS')).toBe(false);
    expect(port.transition('no-such-job', `${jobId}-t-0`, 'IN_PROGRESS')).toBe(false);
    expect(port.getExecution(jobId, `${jobId}-t-0`)).toMatchObject({ status: 'SUCCEEDED', versionNumber: 2 });
    expect(port.counts(jobId)).toMatchObject({ SUCCEEDED: 1, QUEUED: 3, FAILED: 0, TIMED_OUT: 0 });
  });

  it('refuses to start an execution of a job that is no longer IN_PROGRESS', async () => {
    const jobId = await newJob();
    const port = ep.emulator.jobs;
    port.finishJob(jobId, { status: 'COMPLETED' });
    expect(port.transition(jobId, `${jobId}-t-1`, 'IN_PROGRESS')).toBe(false);
    expect(port.transition(jobId, `${jobId}-t-1`, 'REMOVED')).toBe(true);
  });

  it('stamps startedAt, lastUpdatedAt and versionNumber on each move, at virtual time', async () => {
    const jobId = await newJob();
    const port = ep.emulator.jobs;
    const thing = `${jobId}-t-2`;
    const queuedAt = ep.clock.now();
    await ep.clock.advance(5_000);
    port.transition(jobId, thing, 'IN_PROGRESS', { progress: '10%' });
    await ep.clock.advance(5_000);
    port.transition(jobId, thing, 'IN_PROGRESS', { progress: '90%' });
    expect(port.getExecution(jobId, thing)).toMatchObject({
      status: 'IN_PROGRESS',
      queuedAt,
      startedAt: queuedAt + 5_000,
      lastUpdatedAt: queuedAt + 10_000,
      versionNumber: 3,
      statusDetails: { progress: '90%' },
    });
  });

  it('keeps counters exact and summing to the execution count through every status', async () => {
    const jobId = await newJob();
    const port = ep.emulator.jobs;
    const moves: [number, ExecutionStatus[]][] = [
      [0, ['IN_PROGRESS', 'SUCCEEDED']],
      [1, ['IN_PROGRESS', 'FAILED']],
      [2, ['REJECTED']],
      [3, ['IN_PROGRESS']],
    ];
    for (const [n, path] of moves)
      for (const to of path) expect(port.transition(jobId, `${jobId}-t-${n}`, to)).toBe(true);
    const counts = port.counts(jobId);
    expect(counts).toEqual({
      QUEUED: 0,
      IN_PROGRESS: 1,
      SUCCEEDED: 1,
      FAILED: 1,
      TIMED_OUT: 0,
      REJECTED: 1,
      REMOVED: 0,
      CANCELED: 0,
    });
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(4);
    expect([...port.executions(jobId, 'IN_PROGRESS')].map((e) => e.thingName)).toEqual([`${jobId}-t-3`]);
    expect([...port.executions(jobId)].map((e) => e.thingName)).toEqual(
      [0, 1, 2, 3].map((n) => `${jobId}-t-${n}`),
    );
  });

  it('retries a FAILED or TIMED_OUT execution as a new QUEUED attempt, and nothing else', async () => {
    const jobId = await newJob();
    const port = ep.emulator.jobs;
    port.transition(jobId, `${jobId}-t-0`, 'IN_PROGRESS');
    port.transition(jobId, `${jobId}-t-0`, 'FAILED');
    const retried = port.retry(jobId, `${jobId}-t-0`);
    expect(retried).toMatchObject({ status: 'QUEUED', executionNumber: 2, versionNumber: 1 });
    expect(retried?.startedAt).toBeUndefined();
    expect(port.retry(jobId, `${jobId}-t-1`)).toBeUndefined(); // QUEUED: nothing to retry
    port.transition(jobId, `${jobId}-t-1`, 'SUCCEEDED');
    expect(port.retry(jobId, `${jobId}-t-1`)).toBeUndefined();
    expect(port.counts(jobId)).toMatchObject({ QUEUED: 3, FAILED: 0, SUCCEEDED: 1 });
  });

  it('publishes a job-execution event with the AWS topic and payload for each terminal status', async () => {
    const jobId = await newJob();
    const port = ep.emulator.jobs;
    port.transition(jobId, `${jobId}-t-0`, 'IN_PROGRESS'); // not terminal: no event
    port.transition(jobId, `${jobId}-t-0`, 'SUCCEEDED', { result: 'ok' });
    port.transition(jobId, `${jobId}-t-1`, 'REJECTED');
    port.transition(jobId, `${jobId}-t-2`, 'IN_PROGRESS');
    port.transition(jobId, `${jobId}-t-2`, 'TIMED_OUT');
    port.transition(jobId, `${jobId}-t-3`, 'REMOVED');
    expect(events.map((e) => e.topic)).toEqual([
      `$aws/events/jobExecution/${jobId}/succeeded`,
      `$aws/events/jobExecution/${jobId}/rejected`,
      `$aws/events/jobExecution/${jobId}/timed_out`,
      `$aws/events/jobExecution/${jobId}/removed`,
    ]);
    expect(events[0]?.payload).toEqual({
      eventType: 'JOB_EXECUTION',
      eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      timestamp: Math.floor(ep.clock.now() / 1000),
      operation: 'succeeded',
      jobId,
      thingArn: thingArn(`${jobId}-t-0`),
      status: 'SUCCEEDED',
      statusDetails: { result: 'ok' },
    });
  });

  it('completes a job with finishJob: DescribeJob shows it and the completed event carries the counters', async () => {
    const jobId = await newJob();
    const port = ep.emulator.jobs;
    for (let n = 0; n < 4; n++) port.transition(jobId, `${jobId}-t-${n}`, n === 3 ? 'FAILED' : 'SUCCEEDED');
    events = [];
    port.finishJob(jobId, { status: 'COMPLETED' });
    port.finishJob(jobId, { status: 'CANCELED' }); // already ended: ignored
    expect(events.map((e) => e.topic)).toEqual([`$aws/events/job/${jobId}/completed`]);
    expect(events[0]?.payload).toMatchObject({
      eventType: 'JOB',
      operation: 'completed',
      jobId,
      status: 'COMPLETED',
      targetSelection: 'SNAPSHOT',
      targets: [groupArn(`${jobId}-g`)],
      completedAt: ep.clock.now(),
      createdAt: expect.any(Number),
      lastUpdatedAt: ep.clock.now(),
      jobProcessDetails: {
        numberOfCanceledThings: 0,
        numberOfRejectedThings: 0,
        numberOfFailedThings: 1,
        numberOfRemovedThings: 0,
        numberOfSucceededThings: 3,
        numberOfTimedOutThings: 0,
      },
    });
    const { job } = await ep.iot.send(new DescribeJobCommand({ jobId }));
    expect(job?.status).toBe('COMPLETED');
    expect(job?.completedAt).toEqual(new Date(ep.clock.now()));
  });

  it('aborts a job with finishJob CANCELED: QUEUED executions are canceled, reasonCode kept', async () => {
    const jobId = await newJob();
    const port = ep.emulator.jobs;
    port.transition(jobId, `${jobId}-t-0`, 'IN_PROGRESS');
    port.transition(jobId, `${jobId}-t-1`, 'FAILED');
    events = [];
    port.finishJob(jobId, { status: 'CANCELED', reasonCode: 'FAILED_PERCENTAGE_EXCEEDED', comment: 'abort' });
    expect(events.map((e) => e.topic)).toEqual([
      `$aws/events/jobExecution/${jobId}/canceled`,
      `$aws/events/jobExecution/${jobId}/canceled`,
      `$aws/events/job/${jobId}/canceled`,
    ]);
    expect(events[2]?.payload).toMatchObject({
      status: 'CANCELED',
      reasonCode: 'FAILED_PERCENTAGE_EXCEEDED',
    });
    expect(port.counts(jobId)).toMatchObject({ CANCELED: 2, IN_PROGRESS: 1, FAILED: 1, QUEUED: 0 });
    // The running execution may still finish after the abort.
    expect(port.transition(jobId, `${jobId}-t-0`, 'SUCCEEDED')).toBe(true);
    const { job } = await ep.iot.send(new DescribeJobCommand({ jobId }));
    expect(job).toMatchObject({
      status: 'CANCELED',
      reasonCode: 'FAILED_PERCENTAGE_EXCEEDED',
      comment: 'abort',
    });
  });

  it('tells lifecycle listeners about creation, cancellation and deletion, with the events AWS sends', async () => {
    const seen: string[] = [];
    const off = ep.emulator.jobs.subscribe({
      jobCreated: (job) => seen.push(`created ${job.jobId} ${ep.emulator.jobs.counts(job.jobId).QUEUED}`),
      jobCanceled: (job, force) => seen.push(`canceled ${job.jobId} force=${force}`),
      jobDeleted: (jobId) => seen.push(`deleted ${jobId}`),
    });
    try {
      const jobId = await newJob();
      await ep.iot.send(new CancelJobCommand({ jobId, force: true }));
      events = [];
      await ep.iot.send(new DeleteJobCommand({ jobId }));
      expect(events.map((e) => e.topic)).toEqual([`$aws/events/job/${jobId}/deletion_in_progress`]);
      await ep.clock.advance(1000);
      expect(seen).toEqual([`created ${jobId} 4`, `canceled ${jobId} force=true`, `deleted ${jobId}`]);
      expect(events.map((e) => e.topic)).toEqual([
        `$aws/events/job/${jobId}/deletion_in_progress`,
        ...Array(4).fill(`$aws/events/jobExecution/${jobId}/deleted`),
        `$aws/events/job/${jobId}/deleted`,
      ]);
      // AWS reports the status an execution had before the deletion.
      expect(events[1]?.payload).toMatchObject({ operation: 'deleted', status: 'CANCELED' });
      expect(ep.emulator.jobs.getJob(jobId)).toBeUndefined();
    } finally {
      off();
    }
  });

  it('publishes cancellation_in_progress, the execution cancellations and canceled for CancelJob', async () => {
    const jobId = await newJob();
    ep.emulator.jobs.transition(jobId, `${jobId}-t-0`, 'IN_PROGRESS');
    events = [];
    await ep.iot.send(new CancelJobCommand({ jobId, reasonCode: 'STOP', comment: 'by hand' }));
    expect(events.map((e) => e.topic)).toEqual([
      `$aws/events/job/${jobId}/cancellation_in_progress`,
      ...Array(3).fill(`$aws/events/jobExecution/${jobId}/canceled`),
      `$aws/events/job/${jobId}/canceled`,
    ]);
    expect(events.at(-1)?.payload).toMatchObject({
      eventType: 'JOB',
      operation: 'canceled',
      status: 'CANCELED',
      reasonCode: 'STOP',
      comment: 'by hand',
      jobProcessDetails: expect.objectContaining({ numberOfCanceledThings: 3 }),
    });
  });
});

import {
  AddThingToThingGroupCommand,
  CancelJobExecutionCommand,
  CreateJobCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DescribeJobCommand,
  DescribeJobExecutionCommand,
  ListJobExecutionsForJobCommand,
  ListJobExecutionsForThingCommand,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobLifecycleListener } from '../../../local/iot/jobs/job-service-port.js';
import { type IotEndpoint, startIotEndpoint } from '../../support/iot-endpoint.js';
import { expectIotError, groupArn, seedGroup, thingArn } from './iot-fixtures.js';

describe('IoT job executions', () => {
  let ep: IotEndpoint;
  beforeAll(async () => {
    ep = await startIotEndpoint();
    seedGroup(ep.emulator, 'line', 6, 'dev');
    seedGroup(ep.emulator, 'other', 2, 'oth');
    // dev-0 is also in `other`: a thing reached twice.
    ep.emulator.registry.things.addThingToThingGroup('dev-0', 'other');
  });
  afterAll(async () => ep.close());

  it('queues one execution per thing, even for a thing reached by two targets', async () => {
    await ep.iot.send(
      new CreateJobCommand({
        jobId: 'once',
        targets: [groupArn('line'), groupArn('other'), thingArn('dev-1')],
        document: '{}',
      }),
    );
    const { job } = await ep.iot.send(new DescribeJobCommand({ jobId: 'once' }));
    expect(job?.jobProcessDetails?.numberOfQueuedThings).toBe(8);
    const listed = await ep.iot.send(new ListJobExecutionsForJobCommand({ jobId: 'once', maxResults: 250 }));
    const arns = listed.executionSummaries?.map((s) => s.thingArn) ?? [];
    expect(arns).toHaveLength(8);
    expect(new Set(arns).size).toBe(8);
  });

  it('moves, retries and reads no execution at a position past the last one, leaving the counters as they were', async () => {
    await ep.iot.send(
      new CreateJobCommand({ jobId: 'bounds', targets: [thingArn('dev-2')], document: '{}' }),
    );
    const jobs = ep.emulator.jobs;
    const before = (await ep.iot.send(new DescribeJobCommand({ jobId: 'bounds' }))).job?.jobProcessDetails;
    for (const position of [1, 5, -1, 1.5]) {
      expect(jobs.transitionAt('bounds', position, 'IN_PROGRESS'), String(position)).toBe(false);
      expect(jobs.retryAt('bounds', position), String(position)).toBe(0);
      expect(jobs.attemptAt('bounds', position, 'QUEUED'), String(position)).toBe(0);
    }
    const after = (await ep.iot.send(new DescribeJobCommand({ jobId: 'bounds' }))).job?.jobProcessDetails;
    expect(after).toEqual(before);
    expect(after?.numberOfQueuedThings).toBe(1);
  });

  it('reaches things in child groups of a target group', async () => {
    const things = ep.emulator.registry.things;
    things.createThingGroup({ thingGroupName: 'line-child', parentGroupName: 'line' });
    things.createThing({ thingName: 'child-thing' });
    things.addThingToThingGroup('child-thing', 'line-child');
    await ep.iot.send(
      new CreateJobCommand({ jobId: 'with-children', targets: [groupArn('line')], document: '{}' }),
    );
    expect(ep.emulator.jobs.getExecution('with-children', 'child-thing')?.status).toBe('QUEUED');
  });

  it('lists executions of a job with a status filter, paged with nextToken', async () => {
    await ep.iot.send(new CreateJobCommand({ jobId: 'paged', targets: [groupArn('line')], document: '{}' }));
    for (const thing of ['dev-1', 'dev-3', 'dev-5'])
      ep.emulator.jobs.transition('paged', thing, 'IN_PROGRESS');
    const first = await ep.iot.send(
      new ListJobExecutionsForJobCommand({ jobId: 'paged', status: 'IN_PROGRESS', maxResults: 2 }),
    );
    expect(first.executionSummaries?.map((s) => s.thingArn)).toEqual([thingArn('dev-1'), thingArn('dev-3')]);
    expect(first.executionSummaries?.[0]?.jobExecutionSummary).toMatchObject({
      status: 'IN_PROGRESS',
      executionNumber: 1,
      retryAttempt: 0,
    });
    expect(first.executionSummaries?.[0]?.jobExecutionSummary?.startedAt).toBeInstanceOf(Date);
    const second = await ep.iot.send(
      new ListJobExecutionsForJobCommand({
        jobId: 'paged',
        status: 'IN_PROGRESS',
        maxResults: 2,
        nextToken: first.nextToken,
      }),
    );
    expect(second.executionSummaries?.map((s) => s.thingArn)).toEqual([thingArn('dev-5')]);
    expect(second.nextToken).toBeUndefined();
    const queued = await ep.iot.send(
      new ListJobExecutionsForJobCommand({ jobId: 'paged', status: 'QUEUED' }),
    );
    expect(queued.executionSummaries?.map((s) => s.thingArn)).toEqual(
      ['dev-0', 'dev-2', 'dev-4', 'child-thing'].map(thingArn),
    );
  });

  it('refuses a nextToken replayed against another status filter', async () => {
    await ep.iot.send(
      new CreateJobCommand({ jobId: 'token-scope', targets: [groupArn('line')], document: '{}' }),
    );
    const first = await ep.iot.send(
      new ListJobExecutionsForJobCommand({ jobId: 'token-scope', maxResults: 1 }),
    );
    await expectIotError(
      ep.iot.send(
        new ListJobExecutionsForJobCommand({
          jobId: 'token-scope',
          status: 'QUEUED',
          nextToken: first.nextToken,
        }),
      ),
      'InvalidRequestException',
      400,
    );
  });

  it('describes one execution with its version, details and timeout estimate', async () => {
    await ep.iot.send(
      new CreateJobCommand({
        jobId: 'described-exec',
        targets: [thingArn('dev-2')],
        document: '{}',
        timeoutConfig: { inProgressTimeoutInMinutes: 10 },
      }),
    );
    ep.emulator.jobs.transition('described-exec', 'dev-2', 'IN_PROGRESS', { step: 'download' });
    await ep.clock.advance(60_000);
    const { execution } = await ep.iot.send(
      new DescribeJobExecutionCommand({ jobId: 'described-exec', thingName: 'dev-2' }),
    );
    expect(execution).toMatchObject({
      jobId: 'described-exec',
      status: 'IN_PROGRESS',
      thingArn: thingArn('dev-2'),
      statusDetails: { detailsMap: { step: 'download' } },
      executionNumber: 1,
      versionNumber: 2,
      approximateSecondsBeforeTimedOut: 540,
    });
    expect(execution?.queuedAt).toBeInstanceOf(Date);
  });

  it('answers ResourceNotFoundException for an execution a thing does not have', async () => {
    await ep.iot.send(
      new CreateJobCommand({ jobId: 'narrow', targets: [thingArn('dev-2')], document: '{}' }),
    );
    await expectIotError(
      ep.iot.send(new DescribeJobExecutionCommand({ jobId: 'narrow', thingName: 'dev-3' })),
      'ResourceNotFoundException',
      404,
    );
    await expectIotError(
      ep.iot.send(
        new DescribeJobExecutionCommand({ jobId: 'narrow', thingName: 'dev-2', executionNumber: 7 }),
      ),
      'ResourceNotFoundException',
      404,
    );
  });

  it('lists the executions of one thing across jobs, filtered by status', async () => {
    const local = await startIotEndpoint();
    try {
      seedGroup(local.emulator, 'g', 2);
      for (const jobId of ['a', 'b', 'c']) {
        await local.iot.send(new CreateJobCommand({ jobId, targets: [groupArn('g')], document: '{}' }));
      }
      local.emulator.jobs.transition('b', 'g-0', 'SUCCEEDED');
      const all = await local.iot.send(
        new ListJobExecutionsForThingCommand({ thingName: 'g-0', maxResults: 2 }),
      );
      expect(all.executionSummaries?.map((s) => s.jobId)).toEqual(['a', 'b']);
      const rest = await local.iot.send(
        new ListJobExecutionsForThingCommand({ thingName: 'g-0', maxResults: 2, nextToken: all.nextToken }),
      );
      expect(rest.executionSummaries?.map((s) => s.jobId)).toEqual(['c']);
      const succeeded = await local.iot.send(
        new ListJobExecutionsForThingCommand({ thingName: 'g-0', status: 'SUCCEEDED' }),
      );
      expect(succeeded.executionSummaries).toEqual([
        {
          jobId: 'b',
          jobExecutionSummary: expect.objectContaining({ status: 'SUCCEEDED', executionNumber: 1 }),
        },
      ]);
    } finally {
      await local.close();
    }
  });

  it('cancels a QUEUED execution, refuses an IN_PROGRESS one without force and a stale expectedVersion', async () => {
    await ep.iot.send(
      new CreateJobCommand({ jobId: 'exec-cancel', targets: [groupArn('line')], document: '{}' }),
    );
    await ep.iot.send(new CancelJobExecutionCommand({ jobId: 'exec-cancel', thingName: 'dev-0' }));
    expect(ep.emulator.jobs.getExecution('exec-cancel', 'dev-0')?.status).toBe('CANCELED');

    ep.emulator.jobs.transition('exec-cancel', 'dev-1', 'IN_PROGRESS');
    await expectIotError(
      ep.iot.send(new CancelJobExecutionCommand({ jobId: 'exec-cancel', thingName: 'dev-1' })),
      'InvalidStateTransitionException',
      409,
    );
    await expectIotError(
      ep.iot.send(
        new CancelJobExecutionCommand({
          jobId: 'exec-cancel',
          thingName: 'dev-1',
          force: true,
          expectedVersion: 1,
        }),
      ),
      'VersionConflictException',
      409,
    );
    await ep.iot.send(
      new CancelJobExecutionCommand({
        jobId: 'exec-cancel',
        thingName: 'dev-1',
        force: true,
        expectedVersion: 2,
      }),
    );
    const { execution } = await ep.iot.send(
      new DescribeJobExecutionCommand({ jobId: 'exec-cancel', thingName: 'dev-1' }),
    );
    expect(execution).toMatchObject({ status: 'CANCELED', forceCanceled: true });
  });

  it('gives a CONTINUOUS job an execution for a thing added to its target group later', async () => {
    const added: string[] = [];
    const listener: JobLifecycleListener = { executionAdded: (e) => added.push(`${e.jobId}/${e.thingName}`) };
    const unsubscribe = ep.emulator.jobs.subscribe(listener);
    try {
      await ep.iot.send(new CreateThingGroupCommand({ thingGroupName: 'growing' }));
      await ep.iot.send(
        new CreateThingGroupCommand({ thingGroupName: 'growing-sub', parentGroupName: 'growing' }),
      );
      await ep.iot.send(
        new CreateJobCommand({
          jobId: 'continuous',
          targets: [groupArn('growing')],
          document: '{}',
          targetSelection: 'CONTINUOUS',
        }),
      );
      await ep.iot.send(
        new CreateJobCommand({ jobId: 'snapshot', targets: [groupArn('growing')], document: '{}' }),
      );
      await ep.iot.send(new CreateThingCommand({ thingName: 'late-1' }));
      await ep.iot.send(new CreateThingCommand({ thingName: 'late-2' }));
      await ep.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'growing', thingName: 'late-1' }));
      await ep.iot.send(
        new AddThingToThingGroupCommand({ thingGroupName: 'growing-sub', thingName: 'late-2' }),
      );
      expect(added).toEqual(['continuous/late-1', 'continuous/late-2']);
      const { job } = await ep.iot.send(new DescribeJobCommand({ jobId: 'continuous' }));
      expect(job?.jobProcessDetails?.numberOfQueuedThings).toBe(2);
      const snapshot = await ep.iot.send(new DescribeJobCommand({ jobId: 'snapshot' }));
      expect(snapshot.job?.jobProcessDetails?.numberOfQueuedThings).toBe(0);
    } finally {
      unsubscribe();
    }
  });

  it('keeps the counters summing to the number of executions through every kind of move', async () => {
    seedGroup(ep.emulator, 'sums-group', 7, 'sum');
    await ep.iot.send(
      new CreateJobCommand({ jobId: 'sums', targets: [groupArn('sums-group')], document: '{}' }),
    );
    const port = ep.emulator.jobs;
    port.transition('sums', 'sum-0', 'IN_PROGRESS');
    port.transition('sums', 'sum-0', 'SUCCEEDED');
    port.transition('sums', 'sum-1', 'IN_PROGRESS');
    port.transition('sums', 'sum-1', 'FAILED');
    port.retry('sums', 'sum-1');
    port.transition('sums', 'sum-2', 'REJECTED');
    port.transition('sums', 'sum-3', 'IN_PROGRESS');
    port.transition('sums', 'sum-3', 'TIMED_OUT');
    port.transition('sums', 'sum-4', 'REMOVED');
    port.transition('sums', 'sum-5', 'CANCELED');
    const { job } = await ep.iot.send(new DescribeJobCommand({ jobId: 'sums' }));
    const d = job!.jobProcessDetails!;
    const sum =
      d.numberOfCanceledThings! +
      d.numberOfSucceededThings! +
      d.numberOfFailedThings! +
      d.numberOfRejectedThings! +
      d.numberOfQueuedThings! +
      d.numberOfInProgressThings! +
      d.numberOfRemovedThings! +
      d.numberOfTimedOutThings!;
    expect(sum).toBe(7);
    expect(d).toMatchObject({
      numberOfSucceededThings: 1,
      numberOfQueuedThings: 2,
      numberOfCanceledThings: 1,
      numberOfRejectedThings: 1,
      numberOfTimedOutThings: 1,
      numberOfRemovedThings: 1,
      numberOfFailedThings: 0,
    });
  });
});

/**
 * The HTTPS jobs data plane through `@aws-sdk/client-iot-jobs-data-plane`,
 * for every operation and every refusal, on external things
 * (`fleetwave:simulated` = "false") that the fleet simulator notifies but
 * never drives; the control plane, through the IoT SDK, sees what the
 * device did.
 */
import { DeleteJobCommand } from '@aws-sdk/client-iot';
import {
  DescribeJobExecutionCommand,
  GetPendingJobExecutionsCommand,
  IoTJobsDataPlaneClient,
  StartCommandExecutionCommand,
  StartNextPendingJobExecutionCommand,
  UpdateJobExecutionCommand,
} from '@aws-sdk/client-iot-jobs-data-plane';
import { afterEach, describe, expect, it } from 'vitest';
import { minute } from '../../support/fleet.js';
import { describeExecution, describeJob } from '../fleet/fleet-endpoint.js';
import {
  credentials,
  type DataPlaneEndpoint,
  rejection,
  signedFetch,
  startDataPlaneEndpoint,
} from './data-plane-endpoint.js';

let ep: DataPlaneEndpoint | undefined;
afterEach(async () => {
  await ep?.close();
  ep = undefined;
});

/** The virtual clock's start (2026-01-01T00:00:00Z) in epoch seconds. */
const t0 = Date.UTC(2026, 0, 1) / 1000;

describe('the jobs data plane', () => {
  it('GetPendingJobExecutions and StartNextPendingJobExecution take the next job, times in epoch seconds', async () => {
    ep = await startDataPlaneEndpoint(1);
    await ep.createJob();
    const pending = await ep.jobs.send(new GetPendingJobExecutionsCommand({ thingName: 'device-0' }));
    expect(pending.inProgressJobs).toEqual([]);
    expect(pending.queuedJobs).toEqual([
      { jobId: 'job', queuedAt: t0, lastUpdatedAt: t0, versionNumber: 1, executionNumber: 1 },
    ]);
    const { execution } = await ep.jobs.send(
      new StartNextPendingJobExecutionCommand({
        thingName: 'device-0',
        statusDetails: { step: 'download' },
        stepTimeoutInMinutes: 10,
      }),
    );
    expect(execution).toEqual({
      jobId: 'job',
      thingName: 'device-0',
      status: 'IN_PROGRESS',
      statusDetails: { step: 'download' },
      queuedAt: t0,
      startedAt: t0 + 1,
      lastUpdatedAt: t0 + 1,
      versionNumber: 2,
      executionNumber: 1,
      approximateSecondsBeforeTimedOut: 600,
      jobDocument: '{"v":1}',
    });
    const after = await ep.jobs.send(new GetPendingJobExecutionsCommand({ thingName: 'device-0' }));
    expect(after.inProgressJobs?.map((j) => [j.jobId, j.startedAt])).toEqual([['job', t0 + 1]]);
    expect(after.queuedJobs).toEqual([]);
    expect((await describeJob(ep, 'job')).details.numberOfInProgressThings).toBe(1);
  });

  it('StartNextPendingJobExecution answers no execution when nothing is pending', async () => {
    ep = await startDataPlaneEndpoint(1);
    const answer = await ep.jobs.send(new StartNextPendingJobExecutionCommand({ thingName: 'device-0' }));
    expect(answer.execution).toBeUndefined();
  });

  it('DescribeJobExecution: by job id, $next, includeJobDocument and executionNumber', async () => {
    ep = await startDataPlaneEndpoint(1);
    await ep.createJob();
    // As AWS: the document unless includeJobDocument is false.
    const byId = await ep.jobs.send(new DescribeJobExecutionCommand({ thingName: 'device-0', jobId: 'job' }));
    expect(byId.execution).toMatchObject({
      jobId: 'job',
      status: 'QUEUED',
      executionNumber: 1,
      jobDocument: '{"v":1}',
    });
    const withoutDocument = await ep.jobs.send(
      new DescribeJobExecutionCommand({ thingName: 'device-0', jobId: 'job', includeJobDocument: false }),
    );
    expect(withoutDocument.execution?.jobDocument).toBeUndefined();
    const next = await ep.jobs.send(
      new DescribeJobExecutionCommand({
        thingName: 'device-0',
        jobId: '$next',
        includeJobDocument: true,
        executionNumber: 1,
      }),
    );
    expect(next.execution).toMatchObject({ jobId: 'job', jobDocument: '{"v":1}' });
    await ep.jobs.send(
      new UpdateJobExecutionCommand({ thingName: 'device-0', jobId: 'job', status: 'SUCCEEDED' }),
    );
    const none = await ep.jobs.send(
      new DescribeJobExecutionCommand({ thingName: 'device-0', jobId: '$next' }),
    );
    expect(none.execution).toBeUndefined();
    const done = await ep.jobs.send(new DescribeJobExecutionCommand({ thingName: 'device-0', jobId: 'job' }));
    expect(done.execution?.status).toBe('SUCCEEDED');
  });

  it('UpdateJobExecution with every member, then SUCCEEDED as the control plane sees it', async () => {
    ep = await startDataPlaneEndpoint(1, { simulated: 3 });
    await ep.createJob();
    await ep.jobs.send(new StartNextPendingJobExecutionCommand({ thingName: 'device-0' }));
    const progress = await ep.jobs.send(
      new UpdateJobExecutionCommand({
        thingName: 'device-0',
        jobId: 'job',
        status: 'IN_PROGRESS',
        statusDetails: { progress: '50' },
        stepTimeoutInMinutes: 5,
        expectedVersion: 2,
        includeJobExecutionState: true,
        includeJobDocument: true,
        executionNumber: 1,
      }),
    );
    expect(progress).toMatchObject({
      executionState: { status: 'IN_PROGRESS', statusDetails: { progress: '50' }, versionNumber: 3 },
      jobDocument: '{"v":1}',
    });
    const described = await ep.jobs.send(
      new DescribeJobExecutionCommand({ thingName: 'device-0', jobId: 'job' }),
    );
    expect(described.execution?.approximateSecondsBeforeTimedOut).toBe(300);
    const done = await ep.jobs.send(
      new UpdateJobExecutionCommand({ thingName: 'device-0', jobId: 'job', status: 'SUCCEEDED' }),
    );
    expect(done.executionState).toBeUndefined();
    expect(done.jobDocument).toBeUndefined();
    await ep.clock.advance(1 * minute);
    expect((await describeExecution(ep, 'job', 'device-0')).status).toBe('SUCCEEDED');
    expect(await describeJob(ep, 'job')).toMatchObject({
      status: 'COMPLETED',
      details: { numberOfSucceededThings: 4 },
    });
  });

  it('a step timer set over HTTPS times the execution out on the virtual clock', async () => {
    ep = await startDataPlaneEndpoint(1);
    await ep.createJob();
    await ep.jobs.send(
      new StartNextPendingJobExecutionCommand({ thingName: 'device-0', stepTimeoutInMinutes: 2 }),
    );
    await ep.clock.advance(2 * minute + 1000);
    const { execution } = await ep.jobs.send(
      new DescribeJobExecutionCommand({ thingName: 'device-0', jobId: 'job' }),
    );
    expect(execution?.status).toBe('TIMED_OUT');
  });
});

describe('the jobs data plane refuses', () => {
  it('a malformed body: InvalidRequestException 400', async () => {
    ep = await startDataPlaneEndpoint(1);
    await ep.createJob();
    const res = await signedFetch(`${ep.url}/things/device-0/jobs/job`, {
      method: 'POST',
      body: '{"status":',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('InvalidRequestException');
    expect(await res.json()).toEqual({ message: 'Could not parse request body into json.' });
  });

  it('statusDetails with 11 entries: InvalidRequestException naming the member', async () => {
    ep = await startDataPlaneEndpoint(1);
    await ep.createJob();
    const statusDetails = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v']));
    const error = await rejection(
      ep.jobs.send(
        new UpdateJobExecutionCommand({
          thingName: 'device-0',
          jobId: 'job',
          status: 'IN_PROGRESS',
          statusDetails,
        }),
      ),
    );
    expect(error.name).toBe('InvalidRequestException');
    expect(error.$metadata?.httpStatusCode).toBe(400);
    expect(error.message).toBe(
      "1 validation error detected: Value at 'statusDetails' failed to satisfy constraint: Member must have at most 10 entries",
    );
    const started = await rejection(
      ep.jobs.send(
        new StartNextPendingJobExecutionCommand({ thingName: 'device-0', stepTimeoutInMinutes: 0 }),
      ),
    );
    expect(started.message).toMatch(/Value at 'stepTimeoutInMinutes' failed to satisfy constraint/);
    // Nothing moved.
    expect((await describeExecution(ep, 'job', 'device-0')).status).toBe('QUEUED');
  });

  it('an unknown thing, an unknown job and a wrong executionNumber: ResourceNotFoundException 404', async () => {
    ep = await startDataPlaneEndpoint(1);
    await ep.createJob();
    const calls = [
      ep.jobs.send(new GetPendingJobExecutionsCommand({ thingName: 'nobody' })),
      ep.jobs.send(new StartNextPendingJobExecutionCommand({ thingName: 'nobody' })),
      ep.jobs.send(new DescribeJobExecutionCommand({ thingName: 'device-0', jobId: 'no-such-job' })),
      ep.jobs.send(
        new UpdateJobExecutionCommand({ thingName: 'device-0', jobId: 'no-such-job', status: 'SUCCEEDED' }),
      ),
      ep.jobs.send(
        new DescribeJobExecutionCommand({ thingName: 'device-0', jobId: 'job', executionNumber: 2 }),
      ),
      ep.jobs.send(
        new UpdateJobExecutionCommand({
          thingName: 'device-0',
          jobId: 'job',
          status: 'IN_PROGRESS',
          executionNumber: 7,
        }),
      ),
    ];
    for (const call of calls) {
      const error = await rejection(call);
      expect([error.name, error.$metadata?.httpStatusCode]).toEqual(['ResourceNotFoundException', 404]);
    }
    expect((await rejection(calls[2]!)).message).toBe(
      'Job execution of job no-such-job on thing device-0 cannot be found.',
    );
  });

  it('an update with a stale expectedVersion: VersionConflictException 409, which the SDK surfaces by name', async () => {
    ep = await startDataPlaneEndpoint(1);
    await ep.createJob();
    await ep.jobs.send(new StartNextPendingJobExecutionCommand({ thingName: 'device-0' }));
    const error = await rejection(
      ep.jobs.send(
        new UpdateJobExecutionCommand({
          thingName: 'device-0',
          jobId: 'job',
          status: 'SUCCEEDED',
          expectedVersion: 1,
        }),
      ),
    );
    // Not in the data plane's model: the SDK makes a generic service exception carrying the wire name.
    expect(error.name).toBe('VersionConflictException');
    expect(error.$metadata?.httpStatusCode).toBe(409);
    expect(error.message).toMatch(/expected version 1 does not match the job execution's version 2/);
    expect((await describeExecution(ep, 'job', 'device-0')).status).toBe('IN_PROGRESS');
  });

  it('an execution of a job being deleted: TerminalStateException 410', async () => {
    ep = await startDataPlaneEndpoint(1);
    await ep.createJob();
    await ep.jobs.send(new StartNextPendingJobExecutionCommand({ thingName: 'device-0' }));
    await ep.iot.send(new DeleteJobCommand({ jobId: 'job', force: true }));
    const error = await rejection(
      ep.jobs.send(new DescribeJobExecutionCommand({ thingName: 'device-0', jobId: 'job' })),
    );
    expect([error.name, error.$metadata?.httpStatusCode]).toEqual(['TerminalStateException', 410]);
  });

  it('the same request twice: StartNext answers the same execution, IN_PROGRESS is two updates, a second SUCCEEDED is InvalidStateTransitionException 409', async () => {
    ep = await startDataPlaneEndpoint(1);
    await ep.createJob();
    const first = await ep.jobs.send(new StartNextPendingJobExecutionCommand({ thingName: 'device-0' }));
    // StartNext again answers the same IN_PROGRESS execution, unchanged.
    const again = await ep.jobs.send(new StartNextPendingJobExecutionCommand({ thingName: 'device-0' }));
    expect(again.execution).toEqual(first.execution);
    const progress = new UpdateJobExecutionCommand({
      thingName: 'device-0',
      jobId: 'job',
      status: 'IN_PROGRESS',
      includeJobExecutionState: true,
    });
    expect((await ep.jobs.send(progress)).executionState?.versionNumber).toBe(3);
    expect((await ep.jobs.send(progress)).executionState?.versionNumber).toBe(4);
    const done = new UpdateJobExecutionCommand({ thingName: 'device-0', jobId: 'job', status: 'SUCCEEDED' });
    await ep.jobs.send(done);
    const error = await rejection(ep.jobs.send(done));
    expect([error.name, error.$metadata?.httpStatusCode]).toEqual(['InvalidStateTransitionException', 409]);
    // Its only execution ended, so the job did too.
    expect(error.message).toBe(
      'Job execution of job job on thing device-0 cannot move from SUCCEEDED to SUCCEEDED while the job is COMPLETED.',
    );
    expect((await describeExecution(ep, 'job', 'device-0')).versionNumber).toBe(5);
  });

  it('calls over the configured rate: ThrottlingException 429, admitted again a virtual second later', async () => {
    ep = await startDataPlaneEndpoint(1, { limits: { jobsDataRequestsPerSecond: 2 } });
    const get = () => ep!.jobs.send(new GetPendingJobExecutionsCommand({ thingName: 'device-0' }));
    await get();
    await get();
    const error = await rejection(get());
    expect([error.name, error.$metadata?.httpStatusCode]).toEqual(['ThrottlingException', 429]);
    // Each operation has its own bucket.
    await ep.jobs.send(new DescribeJobExecutionCommand({ thingName: 'device-0', jobId: '$next' }));
    await ep.clock.advance(1000);
    expect((await get()).queuedJobs).toEqual([]);
  });

  it('an injected fault, with the data plane status for its name', async () => {
    ep = await startDataPlaneEndpoint(1);
    ep.emulator.faults.add({ operation: 'GetPendingJobExecutions', error: 'ThrottlingException', count: 1 });
    const error = await rejection(
      ep.jobs.send(new GetPendingJobExecutionsCommand({ thingName: 'device-0' })),
    );
    expect([error.name, error.$metadata?.httpStatusCode]).toEqual(['ThrottlingException', 429]);
  });

  it('an unknown path or operation: UnknownOperationException', async () => {
    ep = await startDataPlaneEndpoint(1);
    const res = await signedFetch(`${ep.url}/things/device-0/nothing`);
    expect(res.status).toBe(404);
    expect(res.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    const error = await rejection(
      ep.jobs.send(
        new StartCommandExecutionCommand({
          targetArn: 'arn:aws:iot:us-east-1:1:thing/device-0',
          commandArn: 'arn:aws:iot:us-east-1:1:command/c',
        }),
      ),
    );
    expect(error.name).toBe('UnknownOperationException');
  });
});

describe('reaching the jobs data plane', () => {
  it('AWS_ENDPOINT_URL_IOT_JOBS_DATA_PLANE points a client with no endpoint at it, over AWS_ENDPOINT_URL', async () => {
    ep = await startDataPlaneEndpoint(1);
    await ep.createJob();
    const saved = {
      specific: process.env.AWS_ENDPOINT_URL_IOT_JOBS_DATA_PLANE,
      shared: process.env.AWS_ENDPOINT_URL,
    };
    process.env.AWS_ENDPOINT_URL_IOT_JOBS_DATA_PLANE = ep.url;
    // A shared endpoint that answers nothing: only the service-specific variable can make the call work.
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:1';
    const client = new IoTJobsDataPlaneClient({ region: 'us-east-1', credentials, maxAttempts: 1 });
    try {
      const pending = await client.send(new GetPendingJobExecutionsCommand({ thingName: 'device-0' }));
      expect(pending.queuedJobs?.map((j) => j.jobId)).toEqual(['job']);
    } finally {
      client.destroy();
      for (const [name, value] of [
        ['AWS_ENDPOINT_URL_IOT_JOBS_DATA_PLANE', saved.specific],
        ['AWS_ENDPOINT_URL', saved.shared],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

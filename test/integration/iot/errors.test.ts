/**
 * Every error AWS IoT answers with, produced by the condition that causes it
 * in AWS where the endpoint has one, and by fault injection otherwise; each
 * must reach the SDK as its typed exception with the right HTTP status.
 */
import {
  CancelJobCommand,
  CancelJobExecutionCommand,
  CertificateStateException,
  ConflictException,
  CreateJobCommand,
  CreateJobTemplateCommand,
  DeleteJobCommand,
  DescribeJobCommand,
  DescribeJobTemplateCommand,
  InternalFailureException,
  InvalidRequestException,
  InvalidStateTransitionException,
  type IoTServiceException,
  LimitExceededException,
  ListJobTemplatesCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  ServiceUnavailableException,
  ThrottlingException,
  UnauthorizedException,
  VersionConflictException,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IotErrorName, iotErrorNames, iotErrorStatus } from '../../../local/iot/index.js';
import { type IotEndpoint, startIotEndpoint } from '../../support/iot-endpoint.js';
import { expectIotError, groupArn, jobArn, seedGroup } from './iot-fixtures.js';

const sdkClass: Record<IotErrorName, new (...args: never[]) => IoTServiceException> = {
  InvalidRequestException,
  ThrottlingException,
  UnauthorizedException,
  ResourceNotFoundException,
  ResourceAlreadyExistsException,
  ConflictException,
  InvalidStateTransitionException,
  VersionConflictException,
  CertificateStateException,
  LimitExceededException,
  InternalFailureException,
  ServiceUnavailableException,
};

describe('IoT errors', () => {
  let ep: IotEndpoint;
  beforeAll(async () => {
    ep = await startIotEndpoint();
    seedGroup(ep.emulator, 'g', 2);
  });
  afterAll(async () => ep.close());

  it.each(iotErrorNames)(
    'delivers an injected %s as the typed SDK exception with its status',
    async (name) => {
      ep.emulator.faults.add({
        operation: 'DescribeJob',
        error: name,
        count: 1,
        message: `injected ${name}`,
      });
      const error = await expectIotError(
        ep.iot.send(new DescribeJobCommand({ jobId: 'any' })),
        name,
        iotErrorStatus[name],
      );
      expect(error).toBeInstanceOf(sdkClass[name]);
      expect(error.message).toBe(`injected ${name}`);
    },
  );

  it('answers ThrottlingException once an operation passes its per-second rate, until virtual time refills it', async () => {
    const local = await startIotEndpoint({ limits: { requestsPerSecond: 2 } });
    try {
      const describe = () =>
        local.iot.send(new DescribeJobTemplateCommand({ jobTemplateId: 'none' })).then(
          () => 'ok',
          (e: Error) => e.name,
        );
      expect(await describe()).toBe('ResourceNotFoundException');
      expect(await describe()).toBe('ResourceNotFoundException');
      const throttled = await expectIotError(
        local.iot.send(new DescribeJobTemplateCommand({ jobTemplateId: 'none' })),
        'ThrottlingException',
        400,
      );
      expect(throttled).toBeInstanceOf(ThrottlingException);
      // Each operation has its own budget.
      await local.iot.send(new ListJobTemplatesCommand({}));
      await local.clock.advance(500);
      expect(await describe()).toBe('ResourceNotFoundException');
    } finally {
      await local.close();
    }
  });

  it('answers LimitExceededException when CreateJob would pass the active-job limit', async () => {
    const local = await startIotEndpoint({ limits: { maxActiveJobs: 2 } });
    try {
      seedGroup(local.emulator, 'g', 1);
      await local.iot.send(new CreateJobCommand({ jobId: 'one', targets: [groupArn('g')], document: '{}' }));
      await local.iot.send(new CreateJobCommand({ jobId: 'two', targets: [groupArn('g')], document: '{}' }));
      const error = await expectIotError(
        local.iot.send(new CreateJobCommand({ jobId: 'three', targets: [groupArn('g')], document: '{}' })),
        'LimitExceededException',
        410,
      );
      expect(error).toBeInstanceOf(LimitExceededException);
      // A canceled job no longer counts.
      await local.iot.send(new CancelJobCommand({ jobId: 'one' }));
      await local.iot.send(
        new CreateJobCommand({ jobId: 'three', targets: [groupArn('g')], document: '{}' }),
      );
    } finally {
      await local.close();
    }
  });

  it('answers LimitExceededException for an eleventh deletion in progress', async () => {
    const local = await startIotEndpoint();
    try {
      seedGroup(local.emulator, 'g', 1);
      for (let i = 0; i < 11; i++) {
        await local.iot.send(
          new CreateJobCommand({ jobId: `del-${i}`, targets: [groupArn('g')], document: '{}' }),
        );
      }
      for (let i = 0; i < 10; i++)
        await local.iot.send(new DeleteJobCommand({ jobId: `del-${i}`, force: true }));
      await expectIotError(
        local.iot.send(new DeleteJobCommand({ jobId: 'del-10', force: true })),
        'LimitExceededException',
        410,
      );
      await local.clock.advance(1000);
      await local.iot.send(new DeleteJobCommand({ jobId: 'del-10', force: true }));
    } finally {
      await local.close();
    }
  });

  it('produces the conflict family from real conditions', async () => {
    await ep.iot.send(new CreateJobTemplateCommand({ jobTemplateId: 'c', description: 'c', document: '{}' }));
    const conflict = await expectIotError(
      ep.iot.send(new CreateJobTemplateCommand({ jobTemplateId: 'c', description: 'c', document: '{}' })),
      'ConflictException',
      409,
    );
    expect(conflict).toBeInstanceOf(ConflictException);
    expect(conflict.resourceId).toBe('c');

    await ep.iot.send(new CreateJobCommand({ jobId: 'exists', targets: [groupArn('g')], document: '{}' }));
    const exists = await expectIotError(
      ep.iot.send(new CreateJobCommand({ jobId: 'exists', targets: [groupArn('g')], document: '{}' })),
      'ResourceAlreadyExistsException',
      409,
    );
    expect(exists).toBeInstanceOf(ResourceAlreadyExistsException);
    expect(exists).toMatchObject({ resourceId: 'exists', resourceArn: jobArn('exists') });

    const state = await expectIotError(
      ep.iot.send(new DeleteJobCommand({ jobId: 'exists' })),
      'InvalidStateTransitionException',
      409,
    );
    expect(state).toBeInstanceOf(InvalidStateTransitionException);

    ep.emulator.jobs.transition('exists', 'g-0', 'IN_PROGRESS');
    const version = await expectIotError(
      ep.iot.send(
        new CancelJobExecutionCommand({ jobId: 'exists', thingName: 'g-0', force: true, expectedVersion: 9 }),
      ),
      'VersionConflictException',
      409,
    );
    expect(version).toBeInstanceOf(VersionConflictException);
  });

  it('answers an unknown route with 404 UnknownOperationException', async () => {
    const response = await fetch(`${ep.url}/no-such-resource/x`, {
      headers: {
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/iot/aws4_request, SignedHeaders=host, Signature=0',
      },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(await response.json()).toEqual({ message: expect.stringContaining('/no-such-resource/x') });
  });

  it('sends errors with the x-amzn-errortype header and a {"message"} body', async () => {
    const response = await fetch(`${ep.url}/jobs/missing-job`, {
      headers: {
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/iot/aws4_request, SignedHeaders=host, Signature=0',
      },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(await response.json()).toEqual({ message: expect.any(String) });
  });
});

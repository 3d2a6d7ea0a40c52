import {
  ConflictException,
  InternalFailureException,
  InvalidRequestException,
  LimitExceededException,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-iot';
import { describe, expect, it } from 'vitest';
import { fromIotError } from '../../../lib/adapters/iot-errors.js';
import { ThrottledError, UpstreamError } from '../../../lib/domain/errors.js';

const meta = { $metadata: {} };
const ctx = { resourceId: 'tpl-1', retryAfterSeconds: 3 };

describe('fromIotError', () => {
  it.each([
    [new ConflictException({ message: 'exists', ...meta }), 'ConflictError'],
    [new ResourceAlreadyExistsException({ message: 'exists', ...meta }), 'ConflictError'],
    [new ResourceNotFoundException({ message: 'missing', ...meta }), 'NotFoundError'],
    [new ThrottlingException({ message: 'Rate exceeded', ...meta }), 'ThrottledError'],
    [new InvalidRequestException({ message: 'bad', ...meta }), 'ValidationError'],
    [new InternalFailureException({ message: 'boom', ...meta }), 'UpstreamError'],
    [new LimitExceededException({ message: 'limit', ...meta }), 'UpstreamError'],
  ])('translates %s to %s', (error, name) => {
    expect(fromIotError(error, ctx).name).toBe(name);
  });

  it('keeps the resource id on conflicts and missing resources', () => {
    const error = fromIotError(new ResourceNotFoundException({ message: 'missing', ...meta }), ctx);
    expect(error).toMatchObject({ resourceId: 'tpl-1', message: 'missing' });
  });

  it('asks the caller to wait the configured time when IoT throttles', () => {
    const error = fromIotError(new ThrottlingException({ message: 'Rate exceeded', ...meta }), ctx);
    expect(error).toBeInstanceOf(ThrottledError);
    expect((error as ThrottledError).retryAfterSeconds).toBe(3);
  });

  it('keeps the IoT error name of an upstream failure for the logs only', () => {
    const error = fromIotError(new InternalFailureException({ message: 'db 10.0.0.1 down', ...meta }), ctx);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).upstreamName).toBe('InternalFailureException');
    expect(error.message).not.toContain('10.0.0.1');
  });

  it('treats a network failure as an upstream failure', () => {
    const error = fromIotError(
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      ctx,
    );
    expect(error).toBeInstanceOf(UpstreamError);
  });
});

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { fromDynamoDbError } from '../../../lib/adapters/dynamodb-errors.js';
import { ReleaseRepository } from '../../../lib/adapters/release-repository.js';
import { ConflictError, NotFoundError, ThrottledError, UpstreamError } from '../../../lib/domain/errors.js';

/** A document client whose every call fails with an SDK error of this name. */
function failingClient(name: string): DynamoDBDocumentClient {
  const error = Object.assign(new Error(`${name} from the fake`), { name, $fault: 'client' });
  return { send: () => Promise.reject(error) } as unknown as DynamoDBDocumentClient;
}

function repo(name: string): ReleaseRepository {
  return new ReleaseRepository(failingClient(name), { tableName: 't', throttleRetryAfterSeconds: 7 });
}

describe('ReleaseRepository error translation', () => {
  it('turns ProvisionedThroughputExceededException into ThrottledError with the configured pause', async () => {
    const error = await repo('ProvisionedThroughputExceededException')
      .getRelease('r1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottledError);
    expect((error as ThrottledError).retryAfterSeconds).toBe(7);
  });

  it('turns ThrottlingException and RequestLimitExceeded into ThrottledError', async () => {
    await expect(repo('ThrottlingException').listReleases()).rejects.toBeInstanceOf(ThrottledError);
    await expect(repo('RequestLimitExceeded').getWave('r1', 1)).rejects.toBeInstanceOf(ThrottledError);
  });

  it('turns a missing table into UpstreamError, keeping the SDK name for the logs', async () => {
    const error = await repo('ResourceNotFoundException')
      .listHistory('r1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).not.toBeInstanceOf(NotFoundError);
    expect((error as UpstreamError).upstreamName).toBe('ResourceNotFoundException');
  });

  it('turns any other failure into UpstreamError', async () => {
    await expect(
      repo('InternalServerError').transitionRelease('r1', { to: 'CANCELED' }),
    ).rejects.toMatchObject({
      name: 'UpstreamError',
      upstreamName: 'InternalServerError',
    });
    expect(fromDynamoDbError('not even an Error', { retryAfterSeconds: 1 })).toMatchObject({
      name: 'UpstreamError',
      upstreamName: 'UnknownError',
    });
  });

  it('turns a failed condition into ConflictError and passes domain errors through', () => {
    const failed = Object.assign(new Error('The conditional request failed'), {
      name: 'ConditionalCheckFailedException',
    });
    expect(fromDynamoDbError(failed, { resourceId: 'r1', retryAfterSeconds: 1 })).toBeInstanceOf(
      ConflictError,
    );
    const domain = new NotFoundError('gone');
    expect(fromDynamoDbError(domain, { retryAfterSeconds: 1 })).toBe(domain);
  });
});

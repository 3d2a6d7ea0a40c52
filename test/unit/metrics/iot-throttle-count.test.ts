/**
 * `IotThrottles` counts each attempt AWS IoT throttled, by the SDK's own
 * classification: a `ThrottlingException`, a `TooManyRequestsException`, any
 * HTTP 429; not an error that is no throttle.
 */
import { DescribeJobCommand, IoTClient } from '@aws-sdk/client-iot';
import { describe, expect, it } from 'vitest';
import { countIotThrottles } from '../../../lib/adapters/iot-throttle-count.js';
import type { MetricsPort } from '../../../lib/metrics/port.js';

/** A client whose every call AWS IoT answers `status` with error `type`, tried once. */
function answering(status: number, type: string) {
  const added: { name: string; api?: string | undefined }[] = [];
  const metrics: MetricsPort = {
    add: (name, _value, details) => added.push({ name, api: details.properties?.api }),
  };
  const client = new IoTClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
    maxAttempts: 1,
    requestHandler: {
      handle: async () => ({
        // An HTTP response as the SDK's handler gives it (HttpResponse's shape).
        response: {
          statusCode: status,
          headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
          body: Buffer.from(JSON.stringify({ message: `${type} from the test` })),
        },
      }),
    },
  });
  countIotThrottles(client, metrics);
  return { client, added };
}

const describeJob = new DescribeJobCommand({ jobId: 'job-1' });

describe('IotThrottles', () => {
  it.each([
    [400, 'ThrottlingException'],
    [429, 'TooManyRequestsException'],
    [429, 'SomethingNewException'],
  ])('counts an answer %i %s', async (status, type) => {
    const { client, added } = answering(status, type);
    await expect(client.send(describeJob)).rejects.toMatchObject({ name: type });
    expect(added).toEqual([{ name: 'IotThrottles', api: 'DescribeJob' }]);
  });

  it('does not count an error that is no throttle', async () => {
    const { client, added } = answering(404, 'ResourceNotFoundException');
    await expect(client.send(describeJob)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(added).toEqual([]);
  });
});

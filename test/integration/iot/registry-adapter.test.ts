/**
 * The release API's registry look-ups (`IotRegistry`: DescribeThingGroup,
 * DescribeThing) through the real SDK against the local IoT endpoint: a
 * name that exists, one that does not, and throttling as a domain error.
 */
import { CreateThingCommand, CreateThingGroupCommand } from '@aws-sdk/client-iot';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IotRegistry } from '../../../lib/adapters/iot-registry.js';
import { ThrottledError, UpstreamError } from '../../../lib/domain/errors.js';
import { type IotEndpoint, startIotEndpoint } from '../../support/iot-endpoint.js';

describe('IotRegistry against the local IoT endpoint', () => {
  let ep: IotEndpoint;
  let registry: IotRegistry;
  beforeAll(async () => {
    ep = await startIotEndpoint();
    registry = new IotRegistry(ep.iot, { throttleRetryAfterSeconds: 4 });
    await ep.iot.send(new CreateThingGroupCommand({ thingGroupName: 'doors' }));
    await ep.iot.send(new CreateThingCommand({ thingName: 'door-1' }));
  });
  afterAll(async () => ep.close());
  beforeEach(() => ep.emulator.faults.clear());

  it('finds a thing group and a thing that exist', async () => {
    expect(await registry.exists('thingGroup', 'doors')).toBe(true);
    expect(await registry.exists('thing', 'door-1')).toBe(true);
  });

  it('answers false for a name IoT does not have (ResourceNotFoundException), of either kind', async () => {
    expect(await registry.exists('thingGroup', 'windows')).toBe(false);
    expect(await registry.exists('thing', 'window-1')).toBe(false);
    // A thing's name is not a group's: the kinds are looked up apart.
    expect(await registry.exists('thingGroup', 'door-1')).toBe(false);
  });

  it('passes throttling through as ThrottledError with the configured Retry-After', async () => {
    ep.emulator.faults.add({ operation: 'DescribeThingGroup', error: 'ThrottlingException', count: 1 });
    await expect(registry.exists('thingGroup', 'doors')).rejects.toMatchObject({
      name: 'ThrottledError',
      retryAfterSeconds: 4,
    });
    await expect(registry.exists('thingGroup', 'doors')).resolves.toBe(true);
  });

  it('passes any other failure through as UpstreamError, never as "missing"', async () => {
    ep.emulator.faults.add({ operation: 'DescribeThing', error: 'ServiceUnavailableException', count: 1 });
    const failed = registry.exists('thing', 'door-1');
    await expect(failed).rejects.toThrow(UpstreamError);
    await expect(failed).rejects.not.toThrow(ThrottledError);
  });
});

/**
 * The fleet endpoint (manual virtual clock, fleet simulator attached) with
 * external things in group `fleet`, and the jobs data-plane SDK client
 * pointed at it, never retrying so tests see every error as it was sent.
 */
import { CreateJobCommand, type CreateJobCommandInput, CreateThingCommand } from '@aws-sdk/client-iot';
import { IoTJobsDataPlaneClient } from '@aws-sdk/client-iot-jobs-data-plane';
import { fixedProfile, second } from '../../support/fleet.js';
import type { IotEndpointOptions } from '../../support/iot-endpoint.js';
import { type FleetEndpoint, groupArn, seedThings, startFleetEndpoint } from '../fleet/fleet-endpoint.js';

export interface DataPlaneEndpoint extends FleetEndpoint {
  jobs: IoTJobsDataPlaneClient;
  /** The external things, `device-0`, `device-1`, ... */
  devices: string[];
  /** CreateJob over the fleet group, then one virtual second so the rollout notifies the things. */
  createJob(input?: Partial<CreateJobCommandInput>): Promise<void>;
}

export const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' };

/** Starts the endpoint with `real` external things and `simulated` simulated ones in group `fleet`. */
export async function startDataPlaneEndpoint(
  real: number,
  options: IotEndpointOptions & { simulated?: number } = {},
): Promise<DataPlaneEndpoint> {
  const { simulated, ...endpointOptions } = options;
  const ep = await startFleetEndpoint({
    ...endpointOptions,
    profiles: fixedProfile({ startSeconds: 1, runSeconds: 10 }),
  });
  seedThings(ep, 'fleet', simulated ?? 0);
  const devices = Array.from({ length: real }, (_, i) => `device-${i}`);
  for (const thingName of devices) {
    await ep.iot.send(
      new CreateThingCommand({
        thingName,
        attributePayload: { attributes: { 'fleetwave:simulated': 'false' } },
      }),
    );
    ep.emulator.registry.things.addThingToThingGroup(thingName, 'fleet');
  }
  const jobs = new IoTJobsDataPlaneClient({
    endpoint: ep.url,
    region: ep.emulator.region,
    credentials,
    maxAttempts: 1,
  });
  return {
    ...ep,
    jobs,
    devices,
    createJob: async (input = {}) => {
      await ep.iot.send(
        new CreateJobCommand({
          jobId: 'job',
          document: '{"v":1}',
          targets: [groupArn(ep, 'fleet')],
          ...input,
        }),
      );
      await ep.clock.advance(1 * second);
    },
    close: async () => {
      jobs.destroy();
      await ep.close();
    },
  };
}

/** The error a call rejects with (a test fails when it resolves). */
export async function rejection(
  call: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await call;
  } catch (error) {
    return error as Error & { $metadata?: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to be refused');
}

/** A request signed for `iot-jobs-data` as far as the endpoint's router reads it (any signature is accepted). */
export function signedFetch(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, {
    ...init,
    headers: {
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/us-east-1/iot-jobs-data/aws4_request, SignedHeaders=host, Signature=0',
      'content-type': 'application/json',
      ...init.headers,
    },
  });
}

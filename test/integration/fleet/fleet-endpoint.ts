/**
 * The local IoT endpoint with the fleet simulator attached, for the fleet
 * integration tests: a manual virtual clock the test advances, the real AWS
 * SDK client, every simulator step recorded, and helpers to seed things and
 * read a job through DescribeJob.
 */
import {
  DescribeJobCommand,
  DescribeJobExecutionCommand,
  type JobExecution,
  type JobProcessDetails,
} from '@aws-sdk/client-iot';
import {
  type AttachedFleet,
  type AttachFleetOptions,
  attachFleetSimulator,
} from '../../../local/fleet/attach-fleet.js';
import type { BehaviourProfiles } from '../../../local/fleet/behaviour-profile.js';
import type { FleetEvent } from '../../../local/fleet/fleet-events.js';
import { fixedProfile } from '../../support/fleet.js';
import { type IotEndpoint, type IotEndpointOptions, startIotEndpoint } from '../../support/iot-endpoint.js';

export interface FleetEndpoint extends IotEndpoint {
  fleet: AttachedFleet;
  /** Every simulator step since the endpoint started. */
  events: FleetEvent[];
}

export interface FleetEndpointOptions extends IotEndpointOptions {
  seed?: AttachFleetOptions['seed'];
  profiles?: BehaviourProfiles;
}

export async function startFleetEndpoint(options: FleetEndpointOptions = {}): Promise<FleetEndpoint> {
  const { seed, profiles, ...endpointOptions } = options;
  const endpoint = await startIotEndpoint(endpointOptions);
  const fleet = attachFleetSimulator(endpoint.emulator, {
    clock: endpoint.clock,
    seed: seed ?? 'integration',
    profiles: profiles ?? fixedProfile({}),
  });
  const events: FleetEvent[] = [];
  fleet.onEvent((event) => events.push(event));
  return {
    ...endpoint,
    fleet,
    events,
    close: async () => {
      fleet.close();
      await endpoint.close();
    },
  };
}

/** Creates `count` things named `<prefix>-<nnnn>` in a new static group, in that order, through the typed registry. */
export function seedThings(endpoint: IotEndpoint, group: string, count: number, prefix = group): string[] {
  const registry = endpoint.emulator.registry.things;
  registry.createThingGroup({ thingGroupName: group });
  const names = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
  for (const name of names) {
    registry.createThing({ thingName: name });
    registry.addThingToThingGroup(name, group);
  }
  return names;
}

export const groupArn = (endpoint: IotEndpoint, name: string) =>
  `arn:aws:iot:${endpoint.emulator.region}:${endpoint.emulator.accountId}:thinggroup/${name}`;
export const thingArn = (endpoint: IotEndpoint, name: string) =>
  `arn:aws:iot:${endpoint.emulator.region}:${endpoint.emulator.accountId}:thing/${name}`;

/** DescribeJob through the SDK: the job's status and its counters. */
export async function describeJob(
  endpoint: IotEndpoint,
  jobId: string,
): Promise<{ status: string | undefined; details: Required<JobProcessDetails>; reasonCode?: string }> {
  const { job } = await endpoint.iot.send(new DescribeJobCommand({ jobId }));
  return {
    status: job?.status,
    details: job?.jobProcessDetails as Required<JobProcessDetails>,
    reasonCode: job?.reasonCode,
  };
}

/** DescribeJobExecution through the SDK: one thing's current execution of a job. */
export async function describeExecution(
  endpoint: IotEndpoint,
  jobId: string,
  thingName: string,
): Promise<JobExecution> {
  const { execution } = await endpoint.iot.send(new DescribeJobExecutionCommand({ jobId, thingName }));
  if (!execution) throw new Error(`DescribeJobExecution answered no execution for ${thingName} in ${jobId}`);
  return execution;
}

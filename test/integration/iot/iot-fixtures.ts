/** Small helpers shared by the IoT endpoint tests. */
import { expect } from 'vitest';
import type { IotEmulator } from '../../../local/iot/index.js';

const account = '000000000000';
const region = 'us-east-1';
export const thingArn = (name: string) => `arn:aws:iot:${region}:${account}:thing/${name}`;
export const groupArn = (name: string) => `arn:aws:iot:${region}:${account}:thinggroup/${name}`;
export const templateArn = (id: string) => `arn:aws:iot:${region}:${account}:jobtemplate/${id}`;
export const jobArn = (id: string) => `arn:aws:iot:${region}:${account}:job/${id}`;

/** The error a rejected SDK call threw, with the fields the SDK parsed from the response. */
export interface SdkError extends Error {
  $metadata: { httpStatusCode?: number };
  resourceId?: string;
  resourceArn?: string;
}

/** Awaits a call that must fail and checks the error's wire name and HTTP status. */
export async function expectIotError(
  call: Promise<unknown>,
  name: string,
  status: number,
): Promise<SdkError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e as SdkError,
  );
  expect(error, `expected ${name}`).toBeDefined();
  expect(error!.name).toBe(name);
  expect(error!.$metadata.httpStatusCode).toBe(status);
  return error!;
}

/** Seeds `count` things named `<prefix>-<n>` into a new group through the typed registry (fast, no HTTP). */
export function seedGroup(emulator: IotEmulator, group: string, count: number, prefix = group): string[] {
  const things = emulator.registry.things;
  things.createThingGroup({ thingGroupName: group });
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${prefix}-${i}`;
    things.createThing({ thingName: name });
    things.addThingToThingGroup(name, group);
    names.push(name);
  }
  return names;
}

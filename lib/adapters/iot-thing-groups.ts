/**
 * Static thing groups for percentage waves: reading the release fleet
 * (ListThingsInThingGroup), creating a cohort's group (CreateThingGroup),
 * putting its things in it (AddThingToThingGroup) and deleting it once the
 * release has ended (DeleteThingGroup), over `@aws-sdk/client-iot` with
 * IoT's exceptions translated into domain errors.
 */
import {
  AddThingToThingGroupCommand,
  CreateThingGroupCommand,
  DeleteThingGroupCommand,
  DescribeThingCommand,
  DescribeThingGroupCommand,
  type IoTClient,
  ListThingsInThingGroupCommand,
} from '@aws-sdk/client-iot';
import { perConfig } from '../config.js';
import { NotFoundError } from '../domain/errors.js';
import type { ThingGroups } from '../workflow/ports.js';
import { iotClient } from './iot-client.js';
import { fromIotError } from './iot-errors.js';

/** What the adapter needs from the configuration. */
export interface IotThingGroupsConfig {
  throttleRetryAfterSeconds: number;
}

/** IoT's largest page: fewer calls against the registry's shared rate limit. */
const PAGE_SIZE = 250;

/** {@link ThingGroups} on an `IoTClient`. */
export class IotThingGroups implements ThingGroups {
  constructor(
    private readonly client: IoTClient,
    private readonly config: IotThingGroupsConfig,
  ) {}

  private async call<T>(resourceId: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw fromIotError(error, { resourceId, retryAfterSeconds: this.config.throttleRetryAfterSeconds });
    }
  }

  async ensure(thingGroupName: string, description: string): Promise<void> {
    try {
      await this.client.send(
        new CreateThingGroupCommand({
          thingGroupName,
          thingGroupProperties: { thingGroupDescription: description },
        }),
      );
    } catch (error) {
      // IoT answers an identical CreateThingGroup with the group; other settings are this error.
      // Either way the group is there; its members are checked by the caller.
      if (error instanceof Error && error.name === 'ResourceAlreadyExistsException') return;
      throw fromIotError(error, {
        resourceId: thingGroupName,
        retryAfterSeconds: this.config.throttleRetryAfterSeconds,
      });
    }
  }

  async listThings(thingGroupName: string, options: { recursive: boolean }): Promise<string[]> {
    const things: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.call(thingGroupName, () =>
        this.client.send(
          new ListThingsInThingGroupCommand({
            thingGroupName,
            recursive: options.recursive,
            maxResults: PAGE_SIZE,
            nextToken,
          }),
        ),
      );
      things.push(...(page.things ?? []));
      nextToken = page.nextToken || undefined;
    } while (nextToken);
    return things;
  }

  async addThing(thingGroupName: string, thingName: string): Promise<void> {
    await this.call(thingName, () =>
      this.client.send(new AddThingToThingGroupCommand({ thingGroupName, thingName })),
    );
  }

  async delete(thingGroupName: string): Promise<void> {
    try {
      await this.call(thingGroupName, () =>
        this.client.send(new DeleteThingGroupCommand({ thingGroupName })),
      );
    } catch (error) {
      // IoT answers 200 for a group that is not there; a not-found from anything in between means the same.
      if (!(error instanceof NotFoundError)) throw error;
    }
  }

  async describe(thingGroupName: string): Promise<{ description?: string } | undefined> {
    try {
      const out = await this.call(thingGroupName, () =>
        this.client.send(new DescribeThingGroupCommand({ thingGroupName })),
      );
      const description = out.thingGroupProperties?.thingGroupDescription;
      return description === undefined ? {} : { description };
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  async thingExists(thingName: string): Promise<boolean> {
    try {
      await this.call(thingName, () => this.client.send(new DescribeThingCommand({ thingName })));
      return true;
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }
}

/** The process's thing groups, on the shared IoT client. */
export const thingGroups: () => ThingGroups = perConfig(
  (c) => new IotThingGroups(iotClient(), { throttleRetryAfterSeconds: c.aws.throttleRetryAfterSeconds }),
);

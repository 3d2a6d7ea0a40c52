/**
 * The IoT registry as the release API sees it: does a thing group or a thing
 * of this name exist (DescribeThingGroup, DescribeThing), over
 * `@aws-sdk/client-iot` with IoT's exceptions translated into domain errors.
 */
import { DescribeThingCommand, DescribeThingGroupCommand, type IoTClient } from '@aws-sdk/client-iot';
import { perConfig } from '../config.js';
import { NotFoundError } from '../domain/errors.js';
import type { TargetKind } from '../domain/release-targets.js';
import type { TargetRegistry } from '../releases/ports.js';
import { iotClient } from './iot-client.js';
import { fromIotError } from './iot-errors.js';

/** What the adapter needs from the configuration. */
interface IotRegistryConfig {
  throttleRetryAfterSeconds: number;
}

/** {@link TargetRegistry} on an `IoTClient`. */
export class IotRegistry implements TargetRegistry {
  constructor(
    private readonly client: IoTClient,
    private readonly config: IotRegistryConfig,
  ) {}

  async exists(kind: TargetKind, name: string): Promise<boolean> {
    try {
      if (kind === 'thingGroup')
        await this.client.send(new DescribeThingGroupCommand({ thingGroupName: name }));
      else await this.client.send(new DescribeThingCommand({ thingName: name }));
      return true;
    } catch (error) {
      const translated = fromIotError(error, {
        resourceId: name,
        retryAfterSeconds: this.config.throttleRetryAfterSeconds,
      });
      if (translated instanceof NotFoundError) return false;
      throw translated;
    }
  }
}

/** The process's registry, on the shared IoT client. */
export const targetRegistry: () => TargetRegistry = perConfig(
  (c) => new IotRegistry(iotClient(), { throttleRetryAfterSeconds: c.aws.throttleRetryAfterSeconds }),
);

/**
 * Puts `Release Requested` events on the local stack's EventBridge, as a
 * release tool would, and waits until the rule's targets have run.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { expect } from 'vitest';
import type { LocalStack } from '../../local/endpoints.js';

/** A sender of release requests on one client, made on first use; `destroy` it after the tests. */
export interface ReleaseRequester {
  /** Puts one event (`detail` as its Detail) and returns its id once every target has run. */
  put(stack: LocalStack, detail: unknown, source?: string): Promise<string>;
  destroy(): void;
}

export function releaseRequester(): ReleaseRequester {
  let client: EventBridgeClient | undefined;
  return {
    async put(stack, detail, source = 'fleetwave.requests') {
      client ??= new EventBridgeClient({
        endpoint: stack.awsUrl,
        region: stack.region,
        credentials: { accessKeyId: 'AKIDLOCALFLEETWAVE', secretAccessKey: 'local-secret' },
      });
      const out = await client.send(
        new PutEventsCommand({
          Entries: [{ Source: source, DetailType: 'Release Requested', Detail: JSON.stringify(detail) }],
        }),
      );
      expect(out.FailedEntryCount).toBe(0);
      await stack.eventBridge.idle();
      return out.Entries?.[0]?.EventId ?? '';
    },
    destroy: () => client?.destroy(),
  };
}

/**
 * Counts every throttle AWS IoT answers (`IotThrottles`): what the SDK's own
 * retry classifies as throttling (`ThrottlingException`,
 * `TooManyRequestsException`, HTTP 429, ...). The
 * middleware sits inside the SDK's retry loop, so each throttled attempt
 * counts, including those a later attempt recovered from: the point is to
 * see how close fleetwave runs to the account's IoT rate, not only the
 * calls that failed.
 */
import type { IoTClient } from '@aws-sdk/client-iot';
import { isThrottlingError } from '@smithy/core/retry';
import { invocationMetrics } from '../metrics/invocation-metrics.js';
import type { MetricsPort } from '../metrics/port.js';

/** An error as the SDK raises it; the classifier reads only its optional `name`, `$metadata` and `$retryable`. */
type SdkError = Parameters<typeof isThrottlingError>[0];

/** Adds the throttle count to `client`'s middleware stack. */
export function countIotThrottles(client: IoTClient, metrics: MetricsPort = invocationMetrics): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (error instanceof Error && isThrottlingError(error as SdkError)) {
          const api = context.commandName?.replace(/Command$/, '') ?? 'unknown';
          metrics.add('IotThrottles', 1, { properties: { api } });
        }
        throw error;
      }
    },
    // Inside the retry middleware (finalizeRequest, high priority): one count per attempt.
    { step: 'finalizeRequest', priority: 'low', name: 'fleetwaveIotThrottleCount', override: true },
  );
}

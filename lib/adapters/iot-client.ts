/**
 * The IoT client every handler shares, built once per configuration. The
 * endpoint is left to the SDK's standard resolution (`AWS_ENDPOINT_URL_IOT`,
 * then `AWS_ENDPOINT_URL`, then AWS), so the same code reaches AWS or the
 * local stack.
 *
 * Retries: SDK standard mode with `config.aws.maxAttempts` attempts (3 by
 * default). A passing throttle or 5xx is absorbed inside one API call (backoff
 * with jitter, ~0.5 s base for throttling); throttling that persists through
 * every attempt reaches the caller as 429 + `Retry-After`, well inside the API
 * Gateway timeout, instead of holding the request open. Retrying harder would
 * only spend the account's shared IoT control-plane budget (about 10 TPS).
 *
 * With the release table configured, the jobs APIs' calls also go through
 * the IoT call budget (`iot-call-budget.ts`), so concurrent releases take
 * turns instead of being throttled by AWS. Every throttled attempt is
 * counted (`IotThrottles`, iot-throttle-count.ts).
 */
import { IoTClient } from '@aws-sdk/client-iot';
import { type Config, perConfig } from '../config.js';
import { dynamoDbDocumentClient } from './dynamodb-client.js';
import { applyIotCallBudget, IotCallBudget } from './iot-call-budget.js';
import { countIotThrottles } from './iot-throttle-count.js';

/** A new IoT client for `config`. */
function createIotClient(config: Config): IoTClient {
  const client = new IoTClient({
    region: config.region,
    maxAttempts: config.aws.maxAttempts,
    retryMode: 'standard',
  });
  countIotThrottles(client);
  const { tableName } = config.resources;
  const callsPerSecond = config.iotCallsPerSecond;
  if (tableName !== undefined && callsPerSecond !== 'off') {
    const budget = new IotCallBudget(dynamoDbDocumentClient(), {
      tableName,
      callsPerSecond,
      throttleRetryAfterSeconds: config.aws.throttleRetryAfterSeconds,
    });
    applyIotCallBudget(client, budget);
  }
  return client;
}

/** The process's IoT client. */
export const iotClient: () => IoTClient = perConfig(createIotClient);

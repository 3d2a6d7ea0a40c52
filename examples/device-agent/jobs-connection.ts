import { once } from 'node:events';
import { iot, iotjobs, mqtt, mqtt5 } from 'aws-iot-device-sdk-v2';
import type { AgentOptions } from './agent-options.js';
import { describeError } from './describe-error.js';

/** A connected jobs client and the way to take it down. */
export interface JobsConnection {
  jobs: iotjobs.IotJobsClientv2;
  close(): Promise<void>;
}

/**
 * The request-response client's budget: start-next, update and get each hold a
 * subscription while in flight, and the notify-next stream holds one for good.
 */
const CLIENT_OPTIONS = {
  maxRequestResponseSubscriptions: 4,
  maxStreamingSubscriptions: 2,
  operationTimeoutInSeconds: 30,
};

/** Keep-alive AWS IoT accepts (30 to 1200 s); long enough to be quiet, short enough to notice a dead link. */
const KEEP_ALIVE_SECONDS = 60;

/**
 * Connects to the MQTT endpoint over mutual TLS with AWS's device SDK, in the
 * protocol asked for, and wraps the connection in the SDK's jobs client.
 */
export async function connectJobs(options: AgentOptions): Promise<JobsConnection> {
  return options.mqtt === '5' ? connectMqtt5(options) : connectMqtt311(options);
}

async function connectMqtt5(options: AgentOptions): Promise<JobsConnection> {
  const builder = iot.AwsIotMqtt5ClientConfigBuilder.newDirectMqttBuilderWithMtlsFromPath(
    options.endpoint,
    options.cert,
    options.key,
  );
  builder.withPort(options.port);
  if (options.ca !== undefined) builder.withCertificateAuthorityFromPath(undefined, options.ca);
  builder.withConnectProperties({ clientId: options.clientId, keepAliveIntervalSeconds: KEEP_ALIVE_SECONDS });
  const client = new mqtt5.Mqtt5Client(builder.build());
  const connected = once(client, 'connectionSuccess');
  // The MQTT 5 client retries forever; at start, the first failure is a wrong flag or a missing broker.
  const failed = once(client, 'connectionFailure').then(([event]) => {
    throw new Error(`MQTT 5 connection failed: ${(event as mqtt5.ConnectionFailureEvent).error}`);
  });
  client.start();
  try {
    await Promise.race([connected, failed]);
  } catch (error) {
    await stopMqtt5(client);
    throw error;
  }
  const jobs = iotjobs.IotJobsClientv2.newFromMqtt5(client, CLIENT_OPTIONS);
  return {
    jobs,
    close: async () => {
      jobs.close();
      await stopMqtt5(client);
    },
  };
}

async function stopMqtt5(client: mqtt5.Mqtt5Client): Promise<void> {
  const stopped = once(client, 'stopped');
  client.stop();
  await stopped;
  client.close();
}

async function connectMqtt311(options: AgentOptions): Promise<JobsConnection> {
  const builder = iot.AwsIotMqttConnectionConfigBuilder.new_mtls_builder_from_path(options.cert, options.key);
  builder
    .with_endpoint(options.endpoint)
    .with_port(options.port)
    .with_client_id(options.clientId)
    .with_clean_session(true)
    .with_keep_alive_seconds(KEEP_ALIVE_SECONDS);
  if (options.ca !== undefined) builder.with_certificate_authority_from_path(undefined, options.ca);
  const connection = new mqtt.MqttClient().new_connection(builder.build());
  try {
    await connection.connect();
  } catch (error) {
    throw new Error(`MQTT 3.1.1 connection failed: ${describeError(error)}`);
  }
  const jobs = iotjobs.IotJobsClientv2.newFromMqtt311(connection, CLIENT_OPTIONS);
  return {
    jobs,
    close: async () => {
      jobs.close();
      await connection.disconnect();
    },
  };
}

/**
 * AWS's own device SDK (`aws-iot-device-sdk-v2`, on aws-crt) against the
 * broker's mutual-TLS port: its MQTT 5 and MQTT 3.1.1 clients with an
 * ACTIVE device certificate of the local CA, and its jobs client
 * (`IotJobsClientv2`) taking and finishing a job.
 */
import { CreateJobCommand } from '@aws-sdk/client-iot';
import { iot, iotjobs, mqtt, mqtt5 } from 'aws-iot-device-sdk-v2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { second } from '../../support/fleet.js';
import { groupArn } from '../fleet/fleet-endpoint.js';
import { createExternalThings, type Issued, type MqttStack, startMqttStack } from './mqtt-stack.js';

let stack: MqttStack;
let issued: Issued;
beforeEach(async () => {
  stack = await startMqttStack();
  await createExternalThings(stack, 'fleet', ['device-0']);
  await stack.iot.send(
    new CreateJobCommand({
      jobId: 'job',
      document: '{"firmware":"2.4.0"}',
      targets: [groupArn(stack, 'fleet')],
    }),
  );
  await stack.clock.advance(1 * second);
  issued = await stack.certificates.device('ACTIVE', ['device-0']);
});
afterEach(async () => stack.close());

const requestResponse = {
  maxRequestResponseSubscriptions: 4,
  maxStreamingSubscriptions: 2,
  operationTimeoutInSeconds: 10,
};

/** What the jobs client does on either protocol: take the next job, report it SUCCEEDED. */
async function takeAndFinish(jobsClient: iotjobs.IotJobsClientv2): Promise<void> {
  const started = await jobsClient.startNextPendingJobExecution({ thingName: 'device-0' });
  expect(started.execution).toMatchObject({
    jobId: 'job',
    status: 'IN_PROGRESS',
    jobDocument: { firmware: '2.4.0' },
  });
  await jobsClient.updateJobExecution({
    thingName: 'device-0',
    jobId: 'job',
    status: iotjobs.model.JobStatus.SUCCEEDED,
  });
  expect(stack.emulator.deviceJobs.describe('device-0', 'job', {})?.status).toBe('SUCCEEDED');
}

describe("AWS's device SDK over mutual TLS", () => {
  it('MQTT 5: the jobs client starts the next job and reports it SUCCEEDED', async () => {
    const config = iot.AwsIotMqtt5ClientConfigBuilder.newDirectMqttBuilderWithMtlsFromMemory(
      'localhost',
      issued.certPem,
      issued.keyPem,
    )
      .withCertificateAuthority(stack.certificates.caPem)
      .withPort(stack.broker.tlsPort!)
      .withConnectProperties({ clientId: 'device-0', keepAliveIntervalSeconds: 60 })
      .build();
    const client = new mqtt5.Mqtt5Client(config);
    const connected = new Promise<void>((resolve, reject) => {
      client.once('connectionSuccess', () => resolve());
      client.once('connectionFailure', (event) => reject(event.error));
    });
    client.start();
    let jobsClient: iotjobs.IotJobsClientv2 | undefined;
    try {
      await connected;
      jobsClient = iotjobs.IotJobsClientv2.newFromMqtt5(client, requestResponse);
      await takeAndFinish(jobsClient);
    } finally {
      jobsClient?.close();
      const stopped = new Promise<void>((resolve) => client.once('stopped', () => resolve()));
      client.stop();
      await stopped;
      client.close();
    }
  });

  it('MQTT 3.1.1: the same with its MqttClientConnection', async () => {
    const config = iot.AwsIotMqttConnectionConfigBuilder.new_mtls_builder(issued.certPem, issued.keyPem)
      .with_certificate_authority(stack.certificates.caPem)
      .with_endpoint('localhost')
      .with_port(stack.broker.tlsPort!)
      .with_client_id('device-0')
      .with_clean_session(true)
      .build();
    const connection = new mqtt.MqttClient().new_connection(config);
    let jobsClient: iotjobs.IotJobsClientv2 | undefined;
    try {
      await connection.connect();
      jobsClient = iotjobs.IotJobsClientv2.newFromMqtt311(connection, requestResponse);
      await takeAndFinish(jobsClient);
    } finally {
      jobsClient?.close();
      await connection.disconnect();
    }
  });
});

/**
 * AWS's own device SDK (`aws-iot-device-sdk-v2`, on aws-crt) against the
 * broker's mutual-TLS port: its MQTT 5 client with an ACTIVE device
 * certificate of the local CA, and its jobs client (`IotJobsClientv2`)
 * taking and finishing a job.
 */
import { CreateJobCommand } from '@aws-sdk/client-iot';
import { iot, iotjobs, mqtt5 } from 'aws-iot-device-sdk-v2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { second } from '../../support/fleet.js';
import { groupArn } from '../fleet/fleet-endpoint.js';
import { createExternalThings, type MqttStack, startMqttStack } from './mqtt-stack.js';

let stack: MqttStack;
beforeEach(async () => {
  stack = await startMqttStack();
  await createExternalThings(stack, 'fleet', ['device-0']);
});
afterEach(async () => stack.close());

describe("AWS's device SDK", () => {
  it('MQTT 5 over mutual TLS: the jobs client starts the next job and reports it SUCCEEDED', async () => {
    await stack.iot.send(
      new CreateJobCommand({
        jobId: 'job',
        document: '{"firmware":"2.4.0"}',
        targets: [groupArn(stack, 'fleet')],
      }),
    );
    await stack.clock.advance(1 * second);
    const issued = await stack.certificates.device('ACTIVE', ['device-0']);
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
      jobsClient = iotjobs.IotJobsClientv2.newFromMqtt5(client, {
        maxRequestResponseSubscriptions: 4,
        maxStreamingSubscriptions: 2,
        operationTimeoutInSeconds: 10,
      });
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
    } finally {
      jobsClient?.close();
      const stopped = new Promise<void>((resolve) => client.once('stopped', () => resolve()));
      client.stop();
      await stopped;
      client.close();
    }
  });
});

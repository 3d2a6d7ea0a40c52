/**
 * The broker as the local stack runs it: on a free port when asked, off by
 * default, serving the stack's own job store, and closed with the stack,
 * its clients' connections included.
 */
import {
  CreateJobCommand,
  CreateThingCommand,
  DescribeEndpointCommand,
  IoTClient,
} from '@aws-sdk/client-iot';
import { describe, expect, it } from 'vitest';
import { startTestStack } from '../../support/local-stack.js';
import { Device } from './mqtt-stack.js';

describe('the local stack', () => {
  it('runs no broker unless asked', async () => {
    const stack = await startTestStack();
    try {
      expect(stack.mqtt).toEqual({});
    } finally {
      await stack.close();
    }
  });

  it("serves mutual TLS with the stack's own CA, and DescribeEndpoint names it", async () => {
    const stack = await startTestStack({ mqttsPort: 0 });
    const iot = new IoTClient({ endpoint: stack.awsUrl, region: stack.region, maxAttempts: 1 });
    try {
      const port = Number(new URL(stack.mqtt.tlsUrl!).port);
      const { endpointAddress } = await iot.send(
        new DescribeEndpointCommand({ endpointType: 'iot:Data-ATS' }),
      );
      expect(endpointAddress).toBe(`127.0.0.1:${port}`);
    } finally {
      iot.destroy();
      await stack.close();
    }
  });

  it('serves the jobs topics on a free port and drops its clients when it closes', async () => {
    const stack = await startTestStack({ mqttPort: 0 });
    const iot = new IoTClient({ endpoint: stack.awsUrl, region: stack.region, maxAttempts: 1 });
    let device: Device | undefined;
    try {
      expect(stack.mqtt.url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
      expect(stack.mqtt.tlsUrl).toBeUndefined();
      await iot.send(
        new CreateThingCommand({
          thingName: 'rig-1',
          attributePayload: { attributes: { 'fleetwave:simulated': 'false' } },
        }),
      );
      const thingArn = `arn:aws:iot:${stack.region}:${stack.accountId}:thing/rig-1`;
      await iot.send(new CreateJobCommand({ jobId: 'bench-job', document: '{"v":1}', targets: [thingArn] }));
      await stack.clock.advance(1000);
      device = await Device.connect(stack.mqtt.url!);
      const answer = await device.request('$aws/things/rig-1/jobs/start-next', {});
      expect(answer.json.execution).toMatchObject({ jobId: 'bench-job', jobDocument: { v: 1 } });
      const dropped = new Promise<void>((resolve) => device!.client.once('close', () => resolve()));
      await stack.close();
      await dropped;
    } finally {
      iot.destroy();
      await device?.close();
      await stack.close();
    }
  });
});

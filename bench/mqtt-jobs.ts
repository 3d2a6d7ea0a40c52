/**
 * Benchmark: AWS's jobs topics on the local MQTT broker. 1,000 external
 * things, each with its own mqtt.js connection (plain MQTT 3.1.1, QoS 1),
 * take one job: `start-next`, then `{jobId}/update` SUCCEEDED, all devices
 * at once. Prints the round trip of each request (publish to `/accepted`)
 * as p50/p99 and the requests answered per second. The clients run in the
 * same process as the broker, so the figures include their cost too.
 *
 *   npx tsx bench/mqtt-jobs.ts      (or `npm run bench -- mqtt-jobs`)
 */
import { CreateJobCommand, IoTClient } from '@aws-sdk/client-iot';
import mqtt, { type MqttClient } from 'mqtt';
import { VirtualClock } from '../local/clock/virtual-clock.js';
import { startLocalStack } from '../local/endpoints.js';
import { reportResult } from './support/bench-result.js';
import { row } from './support/load.js';
import { percentile } from './support/load-generator.js';

const DEVICES = Number(process.env.FLEETWAVE_BENCH_DEVICES ?? 1000);
/** Gives up (and says so) rather than hang: the benchmark is bounded in time as in count. */
const DEADLINE_MS = 120_000;

const stack = await startLocalStack({
  clock: new VirtualClock({ start: Date.UTC(2026, 0, 1), mode: { kind: 'manual' } }),
  logLevel: 'ERROR',
  mqttPort: 0,
});
const iot = new IoTClient({
  endpoint: stack.awsUrl,
  region: stack.region,
  credentials: { accessKeyId: 'AKIDLOCALFLEETWAVE', secretAccessKey: 'local-secret' },
});
const clients: MqttClient[] = [];
const deadline = setTimeout(() => {
  console.error(`Not done after ${DEADLINE_MS / 1000} s; stopping.`);
  process.exit(1);
}, DEADLINE_MS);

/** Publishes one request and resolves the round trip in ms once its `/accepted` arrives. */
function roundTrip(client: MqttClient, topic: string, payload: object): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const onMessage = (answered: string) => {
      if (answered === `${topic}/rejected`) reject(new Error(`${topic} rejected`));
      if (answered !== `${topic}/accepted`) return;
      client.off('message', onMessage);
      resolve(performance.now() - started);
    };
    client.on('message', onMessage);
    client.publish(topic, JSON.stringify(payload), { qos: 1 });
  });
}

try {
  const things = stack.iot.registry.things;
  things.createThingGroup({ thingGroupName: 'rigs' });
  const names = Array.from({ length: DEVICES }, (_, i) => `rig-${String(i).padStart(4, '0')}`);
  for (const thingName of names) {
    things.createThing({ thingName, attributes: { 'fleetwave:simulated': 'false' } });
    things.addThingToThingGroup(thingName, 'rigs');
  }
  const connectStarted = performance.now();
  for (const thingName of names) {
    const client = await mqtt.connectAsync(stack.mqtt.url!, { clientId: thingName, reconnectPeriod: 0 });
    await client.subscribeAsync(`$aws/things/${thingName}/jobs/+/+/+`, { qos: 1 });
    await client.subscribeAsync(`$aws/things/${thingName}/jobs/+/+`, { qos: 1 });
    clients.push(client);
  }
  const connectMs = performance.now() - connectStarted;
  await iot.send(
    new CreateJobCommand({
      jobId: 'bench-mqtt',
      document: '{"firmware":"2.4.0"}',
      targets: [`arn:aws:iot:${stack.region}:${stack.accountId}:thinggroup/rigs`],
    }),
  );
  await stack.clock.advance(1000);

  const started = performance.now();
  const latencies = (
    await Promise.all(
      clients.map(async (client, i) => {
        const jobs = `$aws/things/${names[i]}/jobs`;
        const start = await roundTrip(client, `${jobs}/start-next`, { clientToken: 's' });
        const update = await roundTrip(client, `${jobs}/bench-mqtt/update`, { status: 'SUCCEEDED' });
        return [start, update];
      }),
    )
  )
    .flat()
    .sort((a, b) => a - b);
  const seconds = (performance.now() - started) / 1000;
  const perSecond = latencies.length / seconds;
  const succeeded = stack.iot.jobs.counts('bench-mqtt')?.SUCCEEDED;

  console.log(`\n${DEVICES} MQTT connections, start-next then update SUCCEEDED each, all at once:\n`);
  console.log(row(['what', 'value']));
  console.log(row(['---', '---:']));
  console.log(row(['connect + subscribe, all devices (s)', (connectMs / 1000).toFixed(2)]));
  console.log(row(['requests answered', latencies.length]));
  console.log(row(['requests/s', perSecond.toFixed(0)]));
  console.log(row(['p50 round trip (ms)', percentile(latencies, 50).toFixed(1)]));
  console.log(row(['p99 round trip (ms)', percentile(latencies, 99).toFixed(1)]));
  console.log(row(['executions SUCCEEDED', String(succeeded)]));

  reportResult({
    benchmark: 'mqtt-jobs',
    description: `${DEVICES} mqtt.js connections to the local broker, each start-next then update SUCCEEDED over the jobs topics at once (clients in the same process)`,
    figures: [
      { name: 'requests/s', value: Math.round(perSecond), unit: '/s' },
      { name: 'round trip p50', value: Number(percentile(latencies, 50).toFixed(1)), unit: 'ms' },
      { name: 'round trip p99', value: Number(percentile(latencies, 99).toFixed(1)), unit: 'ms' },
      { name: 'executions SUCCEEDED', value: Number(succeeded ?? 0), unit: '' },
    ],
  });
} finally {
  clearTimeout(deadline);
  await Promise.all(clients.map((client) => client.endAsync(true)));
  iot.destroy();
  await stack.close();
}

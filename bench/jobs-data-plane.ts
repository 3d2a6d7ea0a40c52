/**
 * Benchmark: the HTTPS jobs data plane and presigned downloads on the local
 * stack. 1,000 external things (`fleetwave:simulated` = "false") in one job;
 * 50 device loops share one `@aws-sdk/client-iot-jobs-data-plane` client
 * (keep-alive) in the stack's own process, each taking its devices' jobs
 * with StartNextPendingJobExecution and ending them with
 * UpdateJobExecution(SUCCEEDED): the round trips a device makes, as p50/p99
 * per call and round trips (start-next + update) per second. Then a 16 MiB
 * file is uploaded and downloaded 8 times through the presigned URL a job
 * document gave a device, with `fetch`. Bounded: 2,000 calls and 8
 * downloads. The MQTT side of the same round trips is not measured here.
 */
import { CreateJobCommand, IoTClient } from '@aws-sdk/client-iot';
import {
  IoTJobsDataPlaneClient,
  StartNextPendingJobExecutionCommand,
  UpdateJobExecutionCommand,
} from '@aws-sdk/client-iot-jobs-data-plane';
import { VirtualClock } from '../local/clock/virtual-clock.js';
import { startLocalStack } from '../local/endpoints.js';
import { reportResult } from './support/bench-result.js';

const DEVICES = 1000;
const LOOPS = 50;
const FILE_BYTES = 16 * 1024 * 1024;
const DOWNLOADS = 8;

const clock = new VirtualClock({ start: Date.UTC(2026, 0, 1), mode: { kind: 'manual' } });
const stack = await startLocalStack({ clock, logLevel: 'ERROR' });
const credentials = { accessKeyId: 'AKIDLOCALFLEETWAVE', secretAccessKey: 'local-secret' };
const iot = new IoTClient({ endpoint: stack.awsUrl, region: stack.region, credentials });
const jobs = new IoTJobsDataPlaneClient({ endpoint: stack.awsUrl, region: stack.region, credentials });

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

try {
  const registry = stack.iot.registry.things;
  registry.createThingGroup({ thingGroupName: 'devices' });
  const names = Array.from({ length: DEVICES }, (_, i) => `device-${String(i).padStart(4, '0')}`);
  for (const thingName of names) {
    registry.createThing({ thingName, attributes: { 'fleetwave:simulated': 'false' } });
    registry.addThingToThingGroup(thingName, 'devices');
  }
  await fetch(`${stack.awsUrl}/_fleetwave/files/firmware/bench.bin`, {
    method: 'PUT',
    body: new Uint8Array(FILE_BYTES).fill(7),
  });
  await iot.send(
    new CreateJobCommand({
      jobId: 'bench-devices',
      targets: [`arn:aws:iot:${stack.region}:${stack.accountId}:thinggroup/devices`],
      document: JSON.stringify({
        url: `\${aws:iot:s3-presigned-url:https://s3.amazonaws.com/firmware/bench.bin}`,
      }),
      presignedUrlConfig: { roleArn: 'arn:aws:iam::123456789012:role/iot-download', expiresInSec: 3600 },
      jobExecutionsRolloutConfig: { maximumPerMinute: 1000 },
    }),
  );
  // The rollout notifies every thing within its first minute.
  await clock.advance(61_000);

  const startNext: number[] = [];
  const update: number[] = [];
  let firstDocument: string | undefined;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: LOOPS }, async (_, loop) => {
      for (let i = loop; i < names.length; i += LOOPS) {
        const thingName = names[i]!;
        let t = performance.now();
        const { execution } = await jobs.send(new StartNextPendingJobExecutionCommand({ thingName }));
        startNext.push(performance.now() - t);
        firstDocument ??= execution?.jobDocument;
        t = performance.now();
        await jobs.send(
          new UpdateJobExecutionCommand({ thingName, jobId: 'bench-devices', status: 'SUCCEEDED' }),
        );
        update.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  const roundTrips = DEVICES / seconds;

  const url = (JSON.parse(firstDocument ?? '{}') as { url: string }).url;
  const downloadBegan = performance.now();
  for (let i = 0; i < DOWNLOADS; i++) {
    const bytes = await (await fetch(url)).arrayBuffer();
    if (bytes.byteLength !== FILE_BYTES) throw new Error(`downloaded ${bytes.byteLength} bytes`);
  }
  const mibPerSecond =
    (DOWNLOADS * FILE_BYTES) / (1024 * 1024) / ((performance.now() - downloadBegan) / 1000);

  const ms = (values: number[], p: number) =>
    Number(
      percentile(
        [...values].sort((a, b) => a - b),
        p,
      ).toFixed(2),
    );
  console.log(`\n${DEVICES} external things, ${LOOPS} device loops, one SDK client in process:\n`);
  console.log('| call | p50 ms | p99 ms |');
  console.log('| --- | ---: | ---: |');
  console.log(`| StartNextPendingJobExecution | ${ms(startNext, 50)} | ${ms(startNext, 99)} |`);
  console.log(`| UpdateJobExecution | ${ms(update, 50)} | ${ms(update, 99)} |`);
  console.log(`\n${roundTrips.toFixed(0)} round trips (start-next + update) per second`);
  console.log(`presigned download: ${mibPerSecond.toFixed(0)} MiB/s (${DOWNLOADS} × 16 MiB with fetch)`);

  reportResult({
    benchmark: 'jobs-data-plane',
    description: `StartNext + UpdateJobExecution over the HTTPS jobs data plane for ${DEVICES} external things from ${LOOPS} loops (SDK in process), and 16 MiB presigned downloads`,
    figures: [
      { name: 'StartNextPendingJobExecution: p50', value: ms(startNext, 50), unit: 'ms' },
      { name: 'StartNextPendingJobExecution: p99', value: ms(startNext, 99), unit: 'ms' },
      { name: 'UpdateJobExecution: p50', value: ms(update, 50), unit: 'ms' },
      { name: 'UpdateJobExecution: p99', value: ms(update, 99), unit: 'ms' },
      { name: 'round trips (start-next + update)', value: Math.round(roundTrips), unit: '/s' },
      { name: 'presigned download', value: Math.round(mibPerSecond), unit: 'MiB/s' },
    ],
  });
} finally {
  iot.destroy();
  jobs.destroy();
  await stack.close();
}

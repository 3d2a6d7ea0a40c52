/**
 * Benchmark: DescribeJob on the local IoT endpoint over raw HTTP
 * (`GET /jobs/{jobId}` with a SigV4-shaped Authorization header, which the
 * endpoint routes by but does not verify), 50 keep-alive connections from a
 * second process, for a job of 10,000 executions; beside a bare
 * `node:http` server answering a DescribeJob-sized JSON body under the same
 * load. Goal: the endpoint reaches at least 20 % of the bare server.
 *
 *   npx tsx bench/iot.ts      (or `npm run bench -- iot`)
 */
import { CreateJobCommand, DescribeJobCommand, IoTClient } from '@aws-sdk/client-iot';
import { VirtualClock } from '../local/clock/virtual-clock.js';
import { startLocalStack } from '../local/endpoints.js';
import { reportResult } from './support/bench-result.js';
import { figures, loadFromChild, row, startBareServer } from './support/load.js';

const CONNECTIONS = 50;
const EXECUTIONS = 10_000;
const DURATION_MS = Number(process.env.FLEETWAVE_BENCH_MS ?? 8000);

const stack = await startLocalStack({
  clock: new VirtualClock({ start: Date.UTC(2026, 0, 1), mode: { kind: 'manual' } }),
  logLevel: 'ERROR',
  fleet: { size: EXECUTIONS, canaryShare: 0 },
});
const iot = new IoTClient({
  endpoint: stack.awsUrl,
  region: stack.region,
  credentials: { accessKeyId: 'AKIDLOCALFLEETWAVE', secretAccessKey: 'local-secret' },
});
let bare: Awaited<ReturnType<typeof startBareServer>> | undefined;
try {
  const thingGroupArn = `arn:aws:iot:${stack.region}:${stack.accountId}:thinggroup/fleet`;
  await iot.send(
    new CreateJobCommand({
      jobId: 'bench-describe',
      targets: [thingGroupArn],
      document: JSON.stringify({ operation: 'install' }),
      targetSelection: 'SNAPSHOT',
    }),
  );
  const described = await iot.send(new DescribeJobCommand({ jobId: 'bench-describe' }));
  const executions = Object.values(described.job?.jobProcessDetails ?? {}).reduce<number>(
    (sum, v) => sum + (typeof v === 'number' ? v : 0),
    0,
  );
  // The same body size as the real answer, so the reference writes as much per response.
  const realBody = JSON.stringify({ job: described.job });
  bare = await startBareServer({ job: { padding: 'x'.repeat(Math.max(0, realBody.length - 30)) } });
  const load = { connections: CONNECTIONS, durationMs: DURATION_MS, method: 'GET' as const };
  const headers = {
    authorization: `AWS4-HMAC-SHA256 Credential=AKIDLOCALFLEETWAVE/20260101/${stack.region}/iot/aws4_request, SignedHeaders=host, Signature=0`,
    'x-amz-date': '20260101T000000Z',
  };
  const reference = await loadFromChild({ ...load, url: bare.url, path: '/jobs/bench-describe' });
  const endpoint = await loadFromChild({ ...load, url: stack.awsUrl, path: '/jobs/bench-describe', headers });
  const share = (endpoint.perSecond / reference.perSecond) * 100;

  console.log(
    `\nDescribeJob of a job with ${executions} executions, ${CONNECTIONS} connections, ${DURATION_MS / 1000} s, load from a second process:\n`,
  );
  console.log(row(['what', 'requests/s', 'p50 ms', 'p99 ms', 'errors']));
  console.log(row(['---', '---:', '---:', '---:', '---:']));
  console.log(row([`bare node:http, ${realBody.length}-byte JSON`, ...figures(reference)]));
  console.log(row(['local IoT endpoint, GET /jobs/{jobId}', ...figures(endpoint)]));
  console.log(`\nEndpoint at ${share.toFixed(0)} % of the bare server (goal ≥ 20 %).`);

  reportResult({
    benchmark: 'iot',
    description: `DescribeJob (raw HTTP) of a ${EXECUTIONS}-execution job on the local IoT endpoint under ${CONNECTIONS} connections, beside a bare node:http server`,
    figures: [
      { name: 'bare node:http: requests/s', value: Math.round(reference.perSecond), unit: '/s' },
      { name: 'DescribeJob: requests/s', value: Math.round(endpoint.perSecond), unit: '/s' },
      { name: 'DescribeJob: p50', value: Number(endpoint.p50Ms.toFixed(2)), unit: 'ms' },
      { name: 'DescribeJob: p99', value: Number(endpoint.p99Ms.toFixed(2)), unit: 'ms' },
      { name: 'DescribeJob errors', value: endpoint.errors + endpoint.non2xx, unit: '' },
      { name: 'DescribeJob vs bare node:http', value: Math.round(share), unit: '%', goal: '≥ 20 %' },
    ],
  });
} finally {
  await bare?.close();
  iot.destroy();
  await stack.close();
}

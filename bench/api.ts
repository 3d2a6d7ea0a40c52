/**
 * Benchmark: the release API under load. `GET /releases/{id}` and
 * `POST /releases` on the local stack, 50 keep-alive connections from a
 * second process (`bench/support/load-generator.ts`), beside two references
 * measured in the same run:
 *
 * - a bare `node:http` server answering a fixed JSON body (the same load
 *   generator): what HTTP on loopback costs at all;
 * - a plain loop of the same DynamoDB requests through the SDK (50
 *   concurrent loops in this process): GET is one Query (the release and
 *   its waves, consistent read); POST is the conditional PutItem of the
 *   release and the PutItem of its first history event.
 *
 * fleetwave's figures are printed as ratios to both. POST /releases also
 * calls IoT (DescribeJobTemplate) and Step Functions (StartExecution), and
 * each release it creates starts its workflow in the same process (the
 * clock is manual, so each stops at its first wave's sleep): the POST
 * figure includes that work, the SDK loop does not.
 *
 *   npx tsx bench/api.ts      (or `npm run bench -- api`)
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { VirtualClock } from '../local/clock/virtual-clock.js';
import { startLocalStack } from '../local/stack.js';
import { clientsFor, createTemplate } from '../test/support/workflow.js';
import { reportResult } from './support/bench-result.js';
import {
  figures,
  type LoadResult,
  loadFromChild,
  loadInProcess,
  row,
  startBareServer,
} from './support/load.js';

const CONNECTIONS = 50;
const DURATION_MS = Number(process.env.FLEETWAVE_BENCH_MS ?? 8000);

const releaseBody = (releaseId: string) =>
  JSON.stringify({
    releaseId,
    jobTemplateId: 'fw-bench',
    targets: { thingGroups: ['fleet'] },
    waves: [{ targets: { thingGroups: ['fleet'] } }],
  });

const stack = await startLocalStack({
  clock: new VirtualClock({ start: Date.UTC(2026, 0, 1), mode: { kind: 'manual' } }),
  logLevel: 'ERROR',
  fleet: { size: 10, canaryShare: 0 },
});
const clients = clientsFor(stack);
const credentials = { accessKeyId: 'AKIDLOCALFLEETWAVE', secretAccessKey: 'local-secret' };
const dynamo = new DynamoDBClient({ endpoint: stack.awsUrl, region: stack.region, credentials });
const documents = DynamoDBDocumentClient.from(dynamo);
const bare = await startBareServer({ releaseId: 'bench-get', status: 'IN_PROGRESS', waves: [] });

const results: Record<string, LoadResult> = {};
try {
  await createTemplate(clients, 'fw-bench');
  const created = await fetch(`${stack.apiUrl}/releases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: releaseBody('bench-get'),
  });
  if (!created.ok) {
    throw new Error(`POST /releases answered ${created.status}: ${await created.text()}`);
  }
  const load = { connections: CONNECTIONS, durationMs: DURATION_MS };
  results.bare = await loadFromChild({ ...load, url: bare.url, method: 'GET', path: '/releases/bench-get' });
  results.get = await loadFromChild({
    ...load,
    url: stack.apiUrl,
    method: 'GET',
    path: '/releases/bench-get',
  });
  results.sdkGet = await loadInProcess(
    () =>
      documents.send(
        new QueryCommand({
          TableName: stack.dynamodb.tableName,
          KeyConditionExpression: 'pk = :pk AND sk >= :sk',
          ExpressionAttributeValues: { ':pk': 'RELEASE#bench-get', ':sk': 'RELEASE' },
          ConsistentRead: true,
        }),
      ),
    { concurrency: CONNECTIONS, durationMs: DURATION_MS },
  );
  results.post = await loadFromChild({
    ...load,
    url: stack.apiUrl,
    method: 'POST',
    path: '/releases',
    body: releaseBody('bench-post-{n}'),
  });
  const now = new Date().toISOString();
  results.sdkPost = await loadInProcess(
    async (n) => {
      const releaseId = `bench-sdk-${n}`;
      await documents.send(
        new PutCommand({
          TableName: stack.dynamodb.tableName,
          Item: {
            pk: `RELEASE#${releaseId}`,
            sk: 'RELEASE',
            releaseId,
            status: 'PENDING',
            version: 1,
            createdAt: now,
            request: JSON.parse(releaseBody(releaseId)),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      await documents.send(
        new PutCommand({
          TableName: stack.dynamodb.tableName,
          Item: { pk: `RELEASE#${releaseId}`, sk: `EVENT#${now}#r0001`, type: 'RELEASE_CREATED', at: now },
        }),
      );
    },
    { concurrency: CONNECTIONS, durationMs: DURATION_MS },
  );
} finally {
  await bare.close();
  dynamo.destroy();
  clients.destroy();
  await stack.close();
}

const r = results as Required<Record<'bare' | 'get' | 'sdkGet' | 'post' | 'sdkPost', LoadResult>>;
/** How much slower than the reference, in %: by throughput. */
const over = (x: LoadResult, ref: LoadResult) => (ref.perSecond / x.perSecond - 1) * 100;
console.log(`\n${CONNECTIONS} connections, ${DURATION_MS / 1000} s each, load from a second process:\n`);
console.log(row(['what', 'requests/s', 'p50 ms', 'p99 ms', 'errors']));
console.log(row(['---', '---:', '---:', '---:', '---:']));
console.log(row(['bare node:http, fixed JSON', ...figures(r.bare)]));
console.log(row(['GET /releases/{id}', ...figures(r.get)]));
console.log(row(['plain SDK loop: Query (in process)', ...figures(r.sdkGet)]));
console.log(row(['POST /releases', ...figures(r.post)]));
console.log(row(['plain SDK loop: 2 × PutItem (in process)', ...figures(r.sdkPost)]));
console.log(
  `\nGET: ${(r.get.perSecond / r.bare.perSecond).toFixed(3)} × bare http, ${(r.get.perSecond / r.sdkGet.perSecond).toFixed(2)} × the SDK loop (${over(r.get, r.sdkGet).toFixed(0)} % over it; goal ≤ 25 %), p99 ${r.get.p99Ms.toFixed(1)} ms (goal < 50 ms)`,
);
console.log(
  `POST: ${(r.post.perSecond / r.bare.perSecond).toFixed(3)} × bare http, ${(r.post.perSecond / r.sdkPost.perSecond).toFixed(2)} × the SDK loop (${over(r.post, r.sdkPost).toFixed(0)} % over it; goal ≤ 25 %), p99 ${r.post.p99Ms.toFixed(1)} ms (goal < 50 ms)`,
);

const set = (label: string, x: LoadResult) => [
  { name: `${label}: requests/s`, value: Math.round(x.perSecond), unit: '/s' },
  { name: `${label}: p50`, value: Number(x.p50Ms.toFixed(2)), unit: 'ms' },
  { name: `${label}: p99`, value: Number(x.p99Ms.toFixed(2)), unit: 'ms' },
];
reportResult({
  benchmark: 'api',
  description: `Release API under ${CONNECTIONS} connections from a second process, beside a bare node:http server and a plain SDK loop of the same DynamoDB requests`,
  figures: [
    ...set('bare node:http', r.bare),
    ...set('GET /releases/{id}', r.get),
    ...set('SDK loop, Query', r.sdkGet),
    ...set('POST /releases', r.post),
    ...set('SDK loop, 2 × PutItem', r.sdkPost),
    {
      name: 'GET over the SDK loop (throughput)',
      value: Math.round(over(r.get, r.sdkGet)),
      unit: '%',
      goal: '≤ 25 %',
    },
    {
      name: 'POST over the SDK loop (throughput)',
      value: Math.round(over(r.post, r.sdkPost)),
      unit: '%',
      goal: '≤ 25 %',
    },
    { name: 'GET p99 at 50 connections', value: Number(r.get.p99Ms.toFixed(1)), unit: 'ms', goal: '< 50 ms' },
    {
      name: 'POST p99 at 50 connections',
      value: Number(r.post.p99Ms.toFixed(1)),
      unit: 'ms',
      goal: '< 50 ms',
    },
  ],
});

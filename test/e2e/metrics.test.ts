/**
 * The metrics the handlers emit, read as a person would on the local stack:
 * `GET /_fleetwave/metrics` on the AWS endpoint. A release that succeeds
 * and one that fails, both asked for over the REST API, give one
 * ReleasesRequested, ReleasesStarted and ending each, and their waves'
 * duration and device counts; pages go newest first and bad parameters are
 * refused. An IoT call the local IoT throttles is counted, each attempt.
 */
import { CreateThingCommand } from '@aws-sdk/client-iot';
import { describe, expect, it, vi } from 'vitest';
import { METRICS_NAMESPACE } from '../../lib/metrics/catalog.js';
import { invocationMetrics, withInvocationMetrics } from '../../lib/metrics/invocation-metrics.js';
import type { LocalStack } from '../../local/endpoints.js';
import { useEnvVariable } from '../support/env-var.js';
import { fixedProfile } from '../support/fleet.js';
import { startTestStack } from '../support/local-stack.js';
import { useWorkflowStack } from '../support/workflow.js';
import { call, runUntilApi } from './releases-support.js';

interface Item {
  id: string;
  namespace: string;
  dimensions: Record<string, string>;
  metrics: { name: string; unit: string; values: number[] }[];
  properties: Record<string, unknown>;
  raw: string;
}

// biome-ignore lint/suspicious/noExplicitAny: the route's JSON, as a test reads it
async function metricsPage(stack: LocalStack, query = ''): Promise<{ status: number; json: any }> {
  const res = await fetch(`${stack.awsUrl}/_fleetwave/metrics${query}`);
  return { status: res.status, json: await res.json() };
}

/** Every record holding metric `name`, newest first. */
async function recordsOf(stack: LocalStack, name: string): Promise<Item[]> {
  const { json } = await metricsPage(stack, `?namespace=${METRICS_NAMESPACE}&name=${name}&maxResults=100`);
  return json.metrics as Item[];
}

/** The values of `name` per release, in the order they were emitted. */
async function valuesByRelease(stack: LocalStack, name: string): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const item of (await recordsOf(stack, name)).reverse()) {
    const id = String(item.properties.releaseId);
    out[id] = [...(out[id] ?? []), ...(item.metrics.find((m) => m.name === name)?.values ?? [])];
  }
  return out;
}

describe('metrics of releases on the local stack', () => {
  const env = useWorkflowStack({
    fleet: { size: 10, canaryShare: 0 },
    profiles: fixedProfile({ startSeconds: 5, runSeconds: 60 }, [
      { match: { thingNameRegex: '^broken-.*' }, outcomes: { fail: 1 } },
    ]),
  });

  it('counts a release that succeeds and one that fails, each once, with their waves', async () => {
    const { stack, clients } = env();
    const things = [...stack.iot.registry.things.thingList.values()].map((t) => t.thingName).sort();
    for (const thingName of ['broken-1', 'broken-2']) {
      await clients.iot.send(new CreateThingCommand({ thingName }));
    }
    const good = {
      releaseId: 'metrics-good',
      jobTemplateId: 'fw-2-0',
      waves: [{ targets: { things: things.slice(0, 2) } }],
    };
    const bad = {
      releaseId: 'metrics-bad',
      jobTemplateId: 'fw-2-0',
      waves: [{ targets: { things: ['broken-1', 'broken-2'] } }, { targets: { things: things.slice(2, 3) } }],
    };
    for (const body of [good, bad])
      expect((await call(stack, 'POST', '/releases', { body })).status).toBe(202);
    // A repeat of a request is no new release.
    expect((await call(stack, 'POST', '/releases', { body: good })).status).toBe(200);
    await runUntilApi(stack, 'metrics-good', (v) => v.release.status === 'SUCCEEDED', 'SUCCEEDED');
    const failed = await runUntilApi(stack, 'metrics-bad', (v) => v.release.status === 'FAILED', 'FAILED');
    expect(failed.waves.map((w: { status: string }) => w.status)).toEqual(['FAILED', 'CANCELED']);

    const expected: Record<string, Record<string, number[]>> = {
      ReleasesRequested: { 'metrics-good': [1], 'metrics-bad': [1] },
      ReleasesStarted: { 'metrics-good': [1], 'metrics-bad': [1] },
      ReleasesSucceeded: { 'metrics-good': [1] },
      ReleasesFailed: { 'metrics-bad': [1] },
      ReleasesCanceled: {},
      WaveDevicesSucceeded: { 'metrics-good': [2], 'metrics-bad': [0] },
      WaveDevicesFailed: { 'metrics-good': [0], 'metrics-bad': [2] },
    };
    for (const [name, byRelease] of Object.entries(expected)) {
      expect(await valuesByRelease(stack, name), name).toEqual(byRelease);
    }

    const durations = await recordsOf(stack, 'WaveDuration');
    expect(durations.map((d) => [d.properties.releaseId, d.dimensions.Outcome]).sort()).toEqual([
      ['metrics-bad', 'FAILED'],
      ['metrics-good', 'SUCCEEDED'],
    ]);
    for (const d of durations) {
      expect(d).toMatchObject({
        namespace: 'fleetwave',
        dimensions: { service: 'fleetwave', stage: 'local', Outcome: expect.any(String) },
        metrics: [{ name: 'WaveDuration', unit: 'Seconds' }],
      });
      // The devices start after 5 s and run 60 s of virtual time.
      expect(d.metrics[0]?.values[0]).toBeGreaterThanOrEqual(65);
      expect(JSON.parse(d.raw)._aws.CloudWatchMetrics[0].Dimensions).toEqual([
        ['service', 'stage', 'Outcome'],
      ]);
    }
  });

  it('pages newest first: each page continues where the last one stopped', async () => {
    const { stack } = env();
    const all = (await metricsPage(stack, '?maxResults=100')).json.metrics as Item[];
    expect(all.length).toBeGreaterThan(3);
    const ids = all.map((i) => Number(i.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const paged: Item[] = [];
    let token: string | undefined;
    do {
      const { status, json } = await metricsPage(stack, `?maxResults=2${token ? `&nextToken=${token}` : ''}`);
      expect(status).toBe(200);
      expect(json.metrics.length).toBeLessThanOrEqual(2);
      paged.push(...json.metrics);
      token = json.nextToken;
    } while (token);
    expect(paged.map((i) => i.id)).toEqual(all.map((i) => i.id));
  });

  it('pages on from where it stopped while newer records arrive between pages', async () => {
    const { stack } = env();
    const all = (await metricsPage(stack, '?maxResults=100')).json.metrics as Item[];
    const first = await metricsPage(stack, '?maxResults=2');
    expect(first.json.metrics.map((i: Item) => i.id)).toEqual(all.slice(0, 2).map((i) => i.id));
    // Two new records, as a handler would write them, arrive before the next page is asked for.
    for (const item of all.slice(0, 2)) stack.metrics.record(item.raw);
    const paged: Item[] = [...first.json.metrics];
    let token: string | undefined = first.json.nextToken;
    while (token) {
      const { json } = await metricsPage(stack, `?maxResults=2&nextToken=${token}`);
      paged.push(...json.metrics);
      token = json.nextToken;
    }
    // Every older record once, none skipped, none repeated, none of the newer ones.
    expect(paged.map((i) => i.id)).toEqual(all.map((i) => i.id));
    const newest = (await metricsPage(stack, '?maxResults=2')).json.metrics as Item[];
    expect(newest.map((i) => Number(i.id))).toEqual([Number(all[0]?.id) + 2, Number(all[0]?.id) + 1]);
  });

  it.each([
    ['maxResults=0', 'maxResults'],
    ['maxResults=101', 'maxResults'],
    ['maxResults=ten', 'maxResults'],
    ['nextToken=not-a-token', 'nextToken'],
    ['namespace=', 'namespace'],
    ['metric=WaveDuration', 'metric'],
  ])('answers 400 for ?%s, naming %s', async (query, field) => {
    const { status, json } = await metricsPage(env().stack, `?${query}`);
    expect(status).toBe(400);
    expect(JSON.stringify(json)).toContain(field);
  });
});

describe('IoT throttles on the local stack', () => {
  // Two attempts per call, so the count of throttled attempts is exact.
  useEnvVariable('AWS_MAX_ATTEMPTS', '2');
  // One call per second of each IoT API, and a clock that does not move: the second call is refused.
  const env = useWorkflowStack({ iotLimits: { requestsPerSecond: 1 } });

  it('counts every attempt AWS IoT throttled, naming the API', async () => {
    const { stack } = env();
    expect((await call(stack, 'GET', '/job-templates/fw-2-0')).status).toBe(200);
    expect((await call(stack, 'GET', '/job-templates/fw-2-0')).status).toBe(429);
    const throttles = await recordsOf(stack, 'IotThrottles');
    expect(throttles.flatMap((t) => t.metrics[0]?.values)).toEqual([1, 1]);
    expect(throttles[0]).toMatchObject({
      properties: { api: 'DescribeJobTemplate' },
      metrics: [{ name: 'IotThrottles', unit: 'Count' }],
    });
  });
});

describe('a handler still running when the local stack closes', () => {
  // A configuration the late handler can read: without the stack's sink its lines would be printed.
  useEnvVariable('AWS_REGION', 'us-east-1');

  it('writes its metrics nowhere: neither into the closed stack nor to stdout', async () => {
    const stack = await startTestStack();
    let finish: (() => void) | undefined;
    const running = withInvocationMetrics(async () => {
      invocationMetrics.add('ReleasesRequested', 1, { properties: { releaseId: 'late' } });
      await new Promise<void>((resolve) => {
        finish = resolve;
      });
    });
    await stack.close();
    const stdout = vi.spyOn(process.stdout, 'write');
    try {
      finish?.();
      await running;
      expect(stdout.mock.calls.filter(([chunk]) => String(chunk).includes('"_aws"'))).toEqual([]);
    } finally {
      stdout.mockRestore();
    }
    expect(stack.metrics.list({ maxResults: 100 }).metrics).toEqual([]);
  });
});

/**
 * Malformed requests to the release routes, over HTTP against the local
 * stack: each gets a 4xx JSON error naming the bad field (in `details`),
 * none a 5xx; and the optional bearer token guards every REST route.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { resetConfig } from '../../lib/config.js';
import { useWorkflowStack } from '../support/workflow.js';
import { call, releaseRequest } from './releases-support.js';

interface Case {
  name: string;
  method?: string;
  path?: string;
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
  /** The `details[].path` that must be named; absent for 413 and 415. */
  field?: string;
}

const wave = (extra: Record<string, unknown>) => ({ percentage: 100, ...extra });
const oneWave = (extra: Record<string, unknown>) => releaseRequest({ waves: [wave(extra)] });

/** 50 waves of 100 things with 128-character names: valid, under the 1 MiB body limit, too large to store. */
function tooLargeToStore() {
  const name = (w: number, i: number) => `t-${w}-${i}-`.padEnd(128, 'x');
  return releaseRequest({
    targets: undefined,
    waves: Array.from({ length: 50 }, (_, w) => ({
      targets: { things: Array.from({ length: 100 }, (_, i) => name(w, i)) },
    })),
  });
}

const cases: Case[] = [
  { name: 'malformed JSON', body: '{"jobTemplateId": ', status: 400, field: '' },
  { name: 'a JSON array instead of an object', body: '[1, 2]', status: 400, field: '' },
  { name: 'no body at all', status: 400, field: '' },
  {
    name: 'no jobTemplateId',
    body: releaseRequest({ jobTemplateId: undefined }),
    status: 400,
    field: 'jobTemplateId',
  },
  {
    name: 'jobTemplateId of the wrong type',
    body: releaseRequest({ jobTemplateId: 42 }),
    status: 400,
    field: 'jobTemplateId',
  },
  {
    name: 'jobTemplateId of 65 characters',
    body: releaseRequest({ jobTemplateId: 'a'.repeat(65) }),
    status: 400,
    field: 'jobTemplateId',
  },
  {
    name: 'a job template that does not exist',
    body: releaseRequest({ jobTemplateId: 'fw-nope' }),
    status: 400,
    field: 'jobTemplateId',
  },
  {
    name: 'releaseId with dots',
    body: releaseRequest({ releaseId: 'rel.1' }),
    status: 400,
    field: 'releaseId',
  },
  {
    name: 'releaseId of 60 characters',
    body: releaseRequest({ releaseId: 'r'.repeat(60) }),
    status: 400,
    field: 'releaseId',
  },
  { name: 'no waves', body: releaseRequest({ waves: undefined }), status: 400, field: 'waves' },
  { name: 'an empty wave list', body: releaseRequest({ waves: [] }), status: 400, field: 'waves' },
  { name: 'waves as a string', body: releaseRequest({ waves: 'all' }), status: 400, field: 'waves' },
  {
    name: '51 waves',
    body: releaseRequest({
      waves: Array.from({ length: 51 }, (_, i) => ({ percentage: ((i + 1) * 100) / 51 })),
    }),
    status: 400,
    field: 'waves',
  },
  {
    name: 'a wave with targets and a percentage',
    body: oneWave({ targets: { things: ['t1'] } }),
    status: 400,
    field: 'waves.0',
  },
  {
    name: 'a wave with neither targets nor percentage',
    body: releaseRequest({ waves: [{ bakeTimeMinutes: 5 }] }),
    status: 400,
    field: 'waves.0',
  },
  {
    name: 'percentage 0',
    body: releaseRequest({ waves: [{ percentage: 0 }, { percentage: 100 }] }),
    status: 400,
    field: 'waves.0.percentage',
  },
  {
    name: 'percentage over 100',
    body: oneWave({ percentage: 101 }),
    status: 400,
    field: 'waves.0.percentage',
  },
  {
    name: 'percentage with three decimals',
    body: releaseRequest({ waves: [{ percentage: 10.125 }, { percentage: 100 }] }),
    status: 400,
    field: 'waves.0.percentage',
  },
  {
    name: 'falling percentages',
    body: releaseRequest({ waves: [{ percentage: 50 }, { percentage: 10 }, { percentage: 100 }] }),
    status: 400,
    field: 'waves.1.percentage',
  },
  {
    name: 'percentages that stop short of 100',
    body: releaseRequest({ waves: [{ percentage: 10 }, { percentage: 50 }] }),
    status: 400,
    field: 'waves.1.percentage',
  },
  {
    name: 'percentage waves without a fleet',
    body: releaseRequest({ targets: undefined }),
    status: 400,
    field: 'targets',
  },
  {
    name: 'successThresholdPercent over 100',
    body: oneWave({ successThresholdPercent: 101 }),
    status: 400,
    field: 'waves.0.successThresholdPercent',
  },
  {
    name: 'failureThresholdPercent below 0',
    body: oneWave({ failureThresholdPercent: -1 }),
    status: 400,
    field: 'waves.0.failureThresholdPercent',
  },
  {
    name: 'a threshold as a string',
    body: oneWave({ successThresholdPercent: '100' }),
    status: 400,
    field: 'waves.0.successThresholdPercent',
  },
  {
    name: 'timeoutMinutes 0',
    body: oneWave({ timeoutMinutes: 0 }),
    status: 400,
    field: 'waves.0.timeoutMinutes',
  },
  {
    name: 'bakeTimeMinutes not an integer',
    body: oneWave({ bakeTimeMinutes: 1.5 }),
    status: 400,
    field: 'waves.0.bakeTimeMinutes',
  },
  {
    name: 'requireApproval as a string',
    body: oneWave({ requireApproval: 'yes' }),
    status: 400,
    field: 'waves.0.requireApproval',
  },
  { name: 'an unknown field', body: releaseRequest({ colour: 'blue' }), status: 400, field: 'colour' },
  { name: 'an unknown wave field', body: oneWave({ bake: 5 }), status: 400, field: 'waves.0.bake' },
  {
    name: 'an unknown targets field',
    body: releaseRequest({ targets: { groups: ['fleet'] } }),
    status: 400,
    field: 'targets.groups',
  },
  {
    name: 'a thing group name with a space',
    body: releaseRequest({ targets: { thingGroups: ['door fleet'] } }),
    status: 400,
    field: 'targets.thingGroups.0',
  },
  {
    name: 'a repeated thing group',
    body: releaseRequest({ targets: { thingGroups: ['fleet', 'fleet'] } }),
    status: 400,
    field: 'targets.thingGroups.1',
  },
  {
    name: 'a wave with empty targets',
    body: releaseRequest({ waves: [{ targets: {} }] }),
    status: 400,
    field: 'waves.0.targets',
  },
  {
    name: 'a wave with 101 things',
    body: releaseRequest({
      waves: [{ targets: { things: Array.from({ length: 101 }, (_, i) => `t${i}`) } }],
    }),
    status: 400,
    field: 'waves.0.targets.things',
  },
  {
    name: 'repeated tag keys',
    body: releaseRequest({
      tags: [
        { Key: 'team', Value: 'a' },
        { Key: 'team', Value: 'b' },
      ],
    }),
    status: 400,
    field: 'tags.1.Key',
  },
  {
    name: 'an abort threshold over 100',
    body: oneWave({
      abortConfig: {
        criteriaList: [
          { failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 200, minNumberOfExecutedThings: 1 },
        ],
      },
    }),
    status: 400,
    field: 'waves.0.abortConfig.criteriaList.0.thresholdPercentage',
  },
  {
    name: 'an IoT rollout rate of 0',
    body: oneWave({ jobExecutionsRolloutConfig: { maximumPerMinute: 0 } }),
    status: 400,
    field: 'waves.0.jobExecutionsRolloutConfig.maximumPerMinute',
  },
  {
    name: 'a description with a control character',
    body: releaseRequest({ description: 'line\u0007bell' }),
    status: 400,
    field: 'description',
  },
  {
    name: 'an Idempotency-Key with a space',
    body: releaseRequest(),
    headers: { 'Idempotency-Key': 'my key' },
    status: 400,
    field: 'idempotency-key',
  },
  {
    name: 'an Idempotency-Key of 256 characters',
    body: releaseRequest(),
    headers: { 'Idempotency-Key': 'k'.repeat(256) },
    status: 400,
    field: 'idempotency-key',
  },
  {
    name: 'a 2 MB body',
    body: JSON.stringify(releaseRequest({ description: 'x'.repeat(2 * 1024 * 1024) })),
    status: 413,
  },
  { name: 'a release too large to store', body: tooLargeToStore(), status: 413 },
  // What a web page can send across sites without a preflight is never taken as JSON.
  ...['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', ''].map(
    (type) => ({
      name: `a JSON body sent as ${type || 'no media type'}`,
      body: releaseRequest(),
      headers: { 'content-type': type },
      status: 415,
    }),
  ),
  {
    name: 'an approval sent as text/plain',
    path: '/releases/r-1/approve',
    body: { comment: 'looks good' },
    headers: { 'content-type': 'text/plain' },
    status: 415,
  },
  // The action routes take 16 KiB (docs/api.md): a comment is a sentence, not a document.
  ...['cancel', 'approve', 'reject'].map((action) => ({
    name: `${action} with a body over 16 KiB`,
    path: `/releases/r-1/${action}`,
    body: { comment: 'x'.repeat(16 * 1024) },
    status: 413,
  })),
  {
    name: 'cancel with an unknown field',
    path: '/releases/r-1/cancel',
    body: { reason: 'x' },
    status: 400,
    field: 'reason',
  },
  {
    name: 'cancel with force as a string',
    path: '/releases/r-1/cancel',
    body: { force: 'yes' },
    status: 400,
    field: 'force',
  },
  { name: 'cancel with ?force=maybe', path: '/releases/r-1/cancel?force=maybe', status: 400, field: 'force' },
  {
    name: 'approve with an empty comment',
    path: '/releases/r-1/approve',
    body: { comment: '' },
    status: 400,
    field: 'comment',
  },
  {
    name: 'reject with a numeric comment',
    path: '/releases/r-1/reject',
    body: { comment: 7 },
    status: 400,
    field: 'comment',
  },
  {
    name: 'a release id that cannot be one',
    method: 'GET',
    path: '/releases/r%2F1',
    status: 400,
    field: 'releaseId',
  },
  { name: 'a listing limit of 0', method: 'GET', path: '/releases?limit=0', status: 400, field: 'limit' },
  {
    name: 'a history limit of 501',
    method: 'GET',
    path: '/releases/r-1/history?limit=501',
    status: 400,
    field: 'limit',
  },
];

describe('releases over HTTP: malformed requests', () => {
  const env = useWorkflowStack({ fleet: { size: 5, canaryShare: 0 } });

  it('has a table of at least 30 malformed release requests', () => {
    expect(cases.filter((c) => (c.path ?? '/releases') === '/releases').length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('answers $name with $status naming the field', async (c) => {
    const { stack } = env();
    const res = await call(stack, c.method ?? 'POST', c.path ?? '/releases', {
      ...(c.body !== undefined && { body: c.body }),
      ...(c.headers && { headers: c.headers }),
    });
    expect(res.status).toBe(c.status);
    expect(res.headers.get('content-type')).toBe('application/json');
    if (c.field !== undefined) {
      expect(res.json.code).toBe('ValidationError');
      expect(res.json.details.map((d: { path: string }) => d.path)).toContain(c.field);
      expect(res.json.message).toContain(c.field === '' ? 'body' : c.field);
    } else {
      expect(res.json.code).toBe(c.status === 415 ? 'UnsupportedMediaTypeError' : 'PayloadTooLargeError');
    }
  });

  it('stored none of the malformed releases', async () => {
    const { stack } = env();
    const listed = await call(stack, 'GET', '/releases');
    expect(listed.json.items).toEqual([]);
  });
});

describe('releases over HTTP: the API token', () => {
  const env = useWorkflowStack({ fleet: { size: 5, canaryShare: 0 } });
  const TOKEN = 'e2e-api-token-4b1d6e0c9f2a7d35';

  afterEach(() => {
    delete process.env.FLEETWAVE_API_TOKEN;
    resetConfig();
  });

  it('requires Authorization: Bearer <token> on every REST route once FLEETWAVE_API_TOKEN is set', async () => {
    const { stack } = env();
    process.env.FLEETWAVE_API_TOKEN = TOKEN;
    resetConfig();
    for (const [method, path] of [
      ['GET', '/releases'],
      ['POST', '/releases'],
      ['GET', '/releases/r-1'],
      ['GET', '/releases/r-1/history'],
      ['POST', '/releases/r-1/cancel'],
      ['POST', '/releases/r-1/approve'],
      ['POST', '/releases/r-1/reject'],
      ['GET', '/job-templates'],
    ] as const) {
      const res = await call(stack, method, path, {
        headers: { authorization: 'Bearer wrong-token-of-some-length' },
      });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="fleetwave"');
      expect(res.json.code).toBe('UnauthorizedError');
    }
    const bare = await call(stack, 'POST', '/releases', { body: releaseRequest() });
    expect(bare.status).toBe(401);

    const signed = await call(stack, 'POST', '/releases', {
      body: releaseRequest({ releaseId: 'with-token' }),
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(signed.status).toBe(202);
  });

  it('lets requests in without a token when none is configured', async () => {
    const { stack } = env();
    expect((await call(stack, 'GET', '/releases')).status).toBe(200);
  });
});

/**
 * The job-template REST API end to end: HTTP to the local HTTP API, the real
 * handlers, the AWS SDK, the local IoT endpoint.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, clearIotFaults, injectIotFault, useLocalStack } from '../support/local-stack.js';

const template = (jobTemplateId: string, extra: Record<string, unknown> = {}) => ({
  jobTemplateId,
  description: `template ${jobTemplateId}`,
  document: JSON.stringify({ operation: 'firmware-update', version: '1.2.3' }),
  ...extra,
});

/** Runs `work` over `items`, at most `width` at a time. */
async function inBatches<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(work));
}

describe('job templates: lifecycle', () => {
  const stack = useLocalStack();

  it('creates a template: 201, its id and ARN, Location naming it', async () => {
    const res = await api(stack(), 'POST', '/job-templates', template('fw-1'));
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      jobTemplateId: 'fw-1',
      jobTemplateArn: `arn:aws:iot:${stack().region}:${stack().accountId}:jobtemplate/fw-1`,
    });
    expect(res.headers.get('location')).toBe('/job-templates/fw-1');
  });

  it('describes a template with every setting it was created with and createdAt as ISO 8601', async () => {
    const settings = {
      presignedUrlConfig: { roleArn: 'arn:aws:iam::123456789012:role/fw-download', expiresInSec: 600 },
      jobExecutionsRolloutConfig: {
        exponentialRate: {
          baseRatePerMinute: 10,
          incrementFactor: 1.5,
          rateIncreaseCriteria: { numberOfSucceededThings: 20 },
        },
      },
      abortConfig: {
        criteriaList: [
          {
            failureType: 'FAILED',
            action: 'CANCEL',
            thresholdPercentage: 12.5,
            minNumberOfExecutedThings: 10,
          },
        ],
      },
      timeoutConfig: { inProgressTimeoutInMinutes: 30 },
      jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'TIMED_OUT', numberOfRetries: 2 }] },
    };
    const before = stack().clock.now();
    expect((await api(stack(), 'POST', '/job-templates', template('fw-full', settings))).status).toBe(201);
    const res = await api(stack(), 'GET', '/job-templates/fw-full');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      jobTemplateId: 'fw-full',
      jobTemplateArn: `arn:aws:iot:${stack().region}:${stack().accountId}:jobtemplate/fw-full`,
      description: 'template fw-full',
      document: template('fw-full').document,
      ...settings,
    });
    expect(res.json.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
    expect(Math.abs(Date.parse(res.json.createdAt) - before)).toBeLessThan(1000);
    expect(res.json).not.toHaveProperty('$metadata');
  });

  it('deletes a template: 204, and describing it afterwards is 404', async () => {
    await api(stack(), 'POST', '/job-templates', template('fw-gone'));
    const del = await api(stack(), 'DELETE', '/job-templates/fw-gone');
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    const res = await api(stack(), 'GET', '/job-templates/fw-gone');
    expect(res.status).toBe(404);
    expect(res.json.code).toBe('NotFoundError');
  });

  it('answers 404 when deleting a template that does not exist', async () => {
    const res = await api(stack(), 'DELETE', '/job-templates/never-was');
    expect(res.status).toBe(404);
  });

  it('refuses a duplicate id with 409', async () => {
    await api(stack(), 'POST', '/job-templates', template('fw-dup'));
    const res = await api(stack(), 'POST', '/job-templates', template('fw-dup'));
    expect(res.status).toBe(409);
    expect(res.json.code).toBe('ConflictError');
  });

  it('answers an unknown route like API Gateway', async () => {
    const res = await api(stack(), 'GET', '/no-such-route');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ message: 'Not Found' });
  });
});

describe('job templates: paging', () => {
  const stack = useLocalStack();

  it('lists 120 templates in 3 pages of at most 50, every id exactly once', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `page-${String(i).padStart(3, '0')}`);
    await inBatches(ids, 10, async (id) => {
      const res = await api(stack(), 'POST', '/job-templates', template(id));
      expect(res.status).toBe(201);
    });
    const seen: string[] = [];
    let pages = 0;
    let nextToken: string | undefined;
    do {
      const query = new URLSearchParams({ limit: '50', ...(nextToken ? { nextToken } : {}) });
      const res = await api(stack(), 'GET', `/job-templates?${query}`);
      expect(res.status).toBe(200);
      expect(res.json.items.length).toBeLessThanOrEqual(50);
      seen.push(...res.json.items.map((t: { jobTemplateId: string }) => t.jobTemplateId));
      nextToken = res.json.nextToken;
      pages++;
    } while (nextToken && pages < 10);
    expect(pages).toBe(3);
    expect([...seen].sort()).toEqual(ids);
  });

  it.each(['0', '251', 'ten', '-1', '2.5'])(
    'refuses limit=%s with 400 naming limit and its whole rule',
    async (limit) => {
      const res = await api(stack(), 'GET', `/job-templates?limit=${limit}`);
      expect(res.status).toBe(400);
      expect(res.json.details).toEqual([{ path: 'limit', message: 'must be an integer from 1 to 250' }]);
    },
  );
});

describe('job templates: malformed requests', () => {
  const stack = useLocalStack();

  it('answers malformed JSON with 400', async () => {
    const res = await api(stack(), 'POST', '/job-templates', '{"jobTemplateId": "x", ');
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('ValidationError');
  });

  it('refuses a document over 32768 characters with 400 naming document', async () => {
    const res = await api(
      stack(),
      'POST',
      '/job-templates',
      template('big', { document: 'x'.repeat(32769) }),
    );
    expect(res.status).toBe(400);
    expect(res.json.details.map((d: { path: string }) => d.path)).toEqual(['document']);
  });

  it.each([
    ['../x', '../x'],
    ['65 characters', 'a'.repeat(65)],
  ])('refuses a body jobTemplateId of %s with 400', async (_, id) => {
    const res = await api(stack(), 'POST', '/job-templates', template(id));
    expect(res.status).toBe(400);
    expect(res.json.details.map((d: { path: string }) => d.path)).toEqual(['jobTemplateId']);
  });

  it.each([
    ['../x', '..%2Fx'],
    ['65 characters', 'a'.repeat(65)],
  ])('refuses a path jobTemplateId of %s with 400', async (_, id) => {
    for (const method of ['GET', 'DELETE']) {
      const res = await api(stack(), method, `/job-templates/${id}`);
      expect(res.status).toBe(400);
      expect(res.json.details.map((d: { path: string }) => d.path)).toEqual(['jobTemplateId']);
    }
  });
});

describe('job templates: IoT failures', () => {
  const stack = useLocalStack();
  afterEach(async () => clearIotFaults(stack()));

  it('absorbs a passing IoT throttle with the SDK retry: 201', async () => {
    await injectIotFault(stack(), { operation: 'CreateJobTemplate', error: 'ThrottlingException', count: 1 });
    const res = await api(stack(), 'POST', '/job-templates', template('after-throttle'));
    expect(res.status).toBe(201);
  });

  it('answers persistent IoT throttling with 429 and Retry-After, after the SDK retried', async () => {
    await injectIotFault(stack(), { operation: 'CreateJobTemplate', error: 'ThrottlingException' });
    const res = await api(stack(), 'POST', '/job-templates', template('throttled'));
    expect(res.status).toBe(429);
    expect(res.json.code).toBe('ThrottledError');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const [fault] = stack().iot.faults.list();
    expect(fault?.fired).toBe(3);
  });

  it('answers an IoT internal failure with 502 and no internals', async () => {
    await injectIotFault(stack(), { operation: '*', error: 'InternalFailureException' });
    const res = await api(stack(), 'GET', '/job-templates/any');
    expect(res.status).toBe(502);
    expect(res.json).toEqual({ code: 'UpstreamError', message: expect.any(String) });
    expect(res.text).not.toMatch(/InternalFailure|Exception|stack|at /);
  });
});

/** Every rule of the template body, each broken alone; `field` is the path the 400 must name. */
const invalidBodies: [string, Record<string, unknown>, string][] = [
  ['missing jobTemplateId', { jobTemplateId: undefined }, 'jobTemplateId'],
  ['empty jobTemplateId', { jobTemplateId: '' }, 'jobTemplateId'],
  ['jobTemplateId with a space', { jobTemplateId: 'a b' }, 'jobTemplateId'],
  ['missing description', { description: undefined }, 'description'],
  ['description over 2028', { description: 'd'.repeat(2029) }, 'description'],
  ['description with a control character', { description: 'line\nbreak' }, 'description'],
  ['no document source at all', { document: undefined }, 'document'],
  ['document and documentSource', { documentSource: 'https://s3.amazonaws.com/b/doc.json' }, 'document'],
  [
    'documentSource over 1350',
    { document: undefined, documentSource: `https://${'s'.repeat(1350)}` },
    'documentSource',
  ],
  [
    'presigned URL expiry under 60',
    { presignedUrlConfig: { expiresInSec: 59 } },
    'presignedUrlConfig.expiresInSec',
  ],
  [
    'presigned URL expiry over 3600',
    { presignedUrlConfig: { expiresInSec: 3601 } },
    'presignedUrlConfig.expiresInSec',
  ],
  [
    'presigned URL role ARN too short',
    { presignedUrlConfig: { roleArn: 'arn:aws:iam::1:r' } },
    'presignedUrlConfig.roleArn',
  ],
  [
    'maximumPerMinute of 0',
    { jobExecutionsRolloutConfig: { maximumPerMinute: 0 } },
    'jobExecutionsRolloutConfig.maximumPerMinute',
  ],
  [
    'maximumPerMinute over 1000',
    { jobExecutionsRolloutConfig: { maximumPerMinute: 1001 } },
    'jobExecutionsRolloutConfig.maximumPerMinute',
  ],
  [
    'incrementFactor with two decimals',
    {
      jobExecutionsRolloutConfig: {
        exponentialRate: {
          baseRatePerMinute: 5,
          incrementFactor: 1.55,
          rateIncreaseCriteria: { numberOfNotifiedThings: 5 },
        },
      },
    },
    'jobExecutionsRolloutConfig.exponentialRate.incrementFactor',
  ],
  [
    'incrementFactor over 5',
    {
      jobExecutionsRolloutConfig: {
        exponentialRate: {
          baseRatePerMinute: 5,
          incrementFactor: 5.1,
          rateIncreaseCriteria: { numberOfNotifiedThings: 5 },
        },
      },
    },
    'jobExecutionsRolloutConfig.exponentialRate.incrementFactor',
  ],
  [
    'baseRatePerMinute of 0',
    {
      jobExecutionsRolloutConfig: {
        exponentialRate: {
          baseRatePerMinute: 0,
          incrementFactor: 2,
          rateIncreaseCriteria: { numberOfNotifiedThings: 5 },
        },
      },
    },
    'jobExecutionsRolloutConfig.exponentialRate.baseRatePerMinute',
  ],
  [
    'both rate-increase criteria',
    {
      jobExecutionsRolloutConfig: {
        exponentialRate: {
          baseRatePerMinute: 5,
          incrementFactor: 2,
          rateIncreaseCriteria: { numberOfNotifiedThings: 5, numberOfSucceededThings: 5 },
        },
      },
    },
    'jobExecutionsRolloutConfig.exponentialRate.rateIncreaseCriteria',
  ],
  ['empty abort criteria', { abortConfig: { criteriaList: [] } }, 'abortConfig.criteriaList'],
  [
    'abort failureType unknown',
    {
      abortConfig: {
        criteriaList: [
          { failureType: 'LOST', action: 'CANCEL', thresholdPercentage: 5, minNumberOfExecutedThings: 1 },
        ],
      },
    },
    'abortConfig.criteriaList.0.failureType',
  ],
  [
    'abort action other than CANCEL',
    {
      abortConfig: {
        criteriaList: [
          { failureType: 'ALL', action: 'STOP', thresholdPercentage: 5, minNumberOfExecutedThings: 1 },
        ],
      },
    },
    'abortConfig.criteriaList.0.action',
  ],
  [
    'abort threshold over 100',
    {
      abortConfig: {
        criteriaList: [
          { failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 100.5, minNumberOfExecutedThings: 1 },
        ],
      },
    },
    'abortConfig.criteriaList.0.thresholdPercentage',
  ],
  [
    'abort threshold with three decimals',
    {
      abortConfig: {
        criteriaList: [
          { failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 1.234, minNumberOfExecutedThings: 1 },
        ],
      },
    },
    'abortConfig.criteriaList.0.thresholdPercentage',
  ],
  [
    'abort minNumberOfExecutedThings of 0',
    {
      abortConfig: {
        criteriaList: [
          { failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 5, minNumberOfExecutedThings: 0 },
        ],
      },
    },
    'abortConfig.criteriaList.0.minNumberOfExecutedThings',
  ],
  [
    'in-progress timeout of 0',
    { timeoutConfig: { inProgressTimeoutInMinutes: 0 } },
    'timeoutConfig.inProgressTimeoutInMinutes',
  ],
  [
    'in-progress timeout over 10080',
    { timeoutConfig: { inProgressTimeoutInMinutes: 10081 } },
    'timeoutConfig.inProgressTimeoutInMinutes',
  ],
  [
    'empty retry criteria',
    { jobExecutionsRetryConfig: { criteriaList: [] } },
    'jobExecutionsRetryConfig.criteriaList',
  ],
  [
    'three retry criteria',
    {
      jobExecutionsRetryConfig: {
        criteriaList: [
          { failureType: 'FAILED', numberOfRetries: 1 },
          { failureType: 'TIMED_OUT', numberOfRetries: 1 },
          { failureType: 'ALL', numberOfRetries: 1 },
        ],
      },
    },
    'jobExecutionsRetryConfig.criteriaList',
  ],
  [
    'retry failureType REJECTED',
    { jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'REJECTED', numberOfRetries: 1 }] } },
    'jobExecutionsRetryConfig.criteriaList.0.failureType',
  ],
  [
    'more than 10 retries',
    { jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 11 }] } },
    'jobExecutionsRetryConfig.criteriaList.0.numberOfRetries',
  ],
  ['empty tag key', { tags: [{ Key: '', Value: 'v' }] }, 'tags.0.Key'],
  ['tag key over 128', { tags: [{ Key: 'k'.repeat(129), Value: 'v' }] }, 'tags.0.Key'],
  ['tag value over 256', { tags: [{ Key: 'k', Value: 'v'.repeat(257) }] }, 'tags.0.Value'],
  [
    '51 tags (AWS allows 50 on a resource)',
    { tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) },
    'tags',
  ],
  [
    'an abort threshold of 1e-320 (not two decimals, however close to 0)',
    {
      abortConfig: {
        criteriaList: [
          {
            failureType: 'FAILED',
            action: 'CANCEL',
            thresholdPercentage: 1e-320,
            minNumberOfExecutedThings: 1,
          },
        ],
      },
    },
    'abortConfig.criteriaList.0.thresholdPercentage',
  ],
  ['an unknown field', { documentParameters: { a: 'b' } }, 'documentParameters'],
];

describe('job templates: every validation rule is enforced at the API', () => {
  const stack = useLocalStack();
  // Any request that reached IoT would fail with 502: a 400 proves the API refused it first.
  beforeAll(() =>
    injectIotFault(stack(), { operation: 'CreateJobTemplate', error: 'InternalFailureException' }),
  );

  it.each(invalidBodies)(
    'refuses %s with 400 naming the field, before IoT sees it',
    async (_, change, field) => {
      const id = `invalid-${Math.random().toString(36).slice(2, 10)}`;
      const res = await api(stack(), 'POST', '/job-templates', template(id, change));
      expect(res.status).toBe(400);
      expect(res.json.details.map((d: { path: string }) => d.path)).toContain(field);
    },
  );

  it('names every bad field of one request at once', async () => {
    const res = await api(stack(), 'POST', '/job-templates', {
      jobTemplateId: '../x',
      description: 'd'.repeat(2029),
      document: 'x'.repeat(32769),
      timeoutConfig: { inProgressTimeoutInMinutes: 0 },
    });
    expect(res.status).toBe(400);
    expect(res.json.details.map((d: { path: string }) => d.path).sort()).toEqual(
      ['description', 'document', 'jobTemplateId', 'timeoutConfig.inProgressTimeoutInMinutes'].sort(),
    );
  });
});

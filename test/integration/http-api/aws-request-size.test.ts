/**
 * The shared AWS endpoint refuses a request body over its service's cap
 * (local/aws-endpoint/request-size.ts) with 413 before the service reads it,
 * takes one under the cap, and goes on serving.
 */
import { describe, expect, it } from 'vitest';
import { useLocalStack } from '../../support/local-stack.js';

const signed = (service: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
  'x-amz-date': '20260101T000000Z',
});

const mib = 1024 * 1024;

describe('request sizes on the AWS endpoint', () => {
  const stack = useLocalStack();

  const cases: [string, string, Record<string, string>, number, string][] = [
    [
      'Step Functions',
      '/',
      {
        ...signed('states'),
        'x-amz-target': 'AWSStepFunctions.StartExecution',
        'content-type': 'application/x-amz-json-1.0',
      },
      1 * mib,
      'POST',
    ],
    [
      'EventBridge',
      '/',
      {
        ...signed('events'),
        'x-amz-target': 'AWSEvents.PutEvents',
        'content-type': 'application/x-amz-json-1.1',
      },
      2 * mib,
      'POST',
    ],
    ['SNS', '/', { ...signed('sns'), 'content-type': 'application/x-www-form-urlencoded' }, 2 * mib, 'POST'],
    ['IoT', '/jobs/too-big', { ...signed('iot'), 'content-type': 'application/json' }, 2 * mib, 'PUT'],
  ];

  it.each(cases)(
    'refuses a body over the cap of %s with 413, and takes one just under it',
    async (_, path, headers, cap, method) => {
      const over = await fetch(stack().awsUrl + path, { method, headers, body: 'x'.repeat(cap + 1) });
      expect(over.status).toBe(413);
      expect(await over.text()).toBe('');
      const under = await fetch(stack().awsUrl + path, { method, headers, body: 'x'.repeat(cap - 1024) });
      expect(under.status).toBeGreaterThanOrEqual(400);
      expect(under.status).toBeLessThan(500);
      expect(under.status).not.toBe(413);
      const alive = await fetch(`${stack().awsUrl}/_fleetwave/clock`);
      expect(alive.status).toBe(200);
    },
  );
});

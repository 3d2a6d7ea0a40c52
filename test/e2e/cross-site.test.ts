/**
 * A web page cannot drive the local stack: the REST API and the AWS
 * endpoint (services and admin surface alike) refuse what a browser sends
 * for another site, another origin or a rebound domain, and grant no CORS;
 * SDK-like clients, which send no Origin, are unaffected. Requests go out
 * through node:http so the Host header can be set as a rebound page's would be.
 */
import { describe, expect, it } from 'vitest';
import { useLocalStack } from '../support/local-stack.js';
import { rawRequest } from '../support/raw-http.js';

const send = (url: string, method: string, headers: Record<string, string>, body?: string) =>
  rawRequest(url, { method, headers, ...(body !== undefined && { body }) });

const json = { 'content-type': 'application/json' };
const dynamoHeaders = {
  'content-type': 'application/x-amz-json-1.0',
  'x-amz-target': 'DynamoDB_20120810.ListTables',
  'x-amz-date': '20260101T000000Z',
  authorization:
    'AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
};

describe('the local stack and web pages', () => {
  const stack = useLocalStack();

  const hostile: [string, Record<string, string>][] = [
    ['a page of another origin', { origin: 'https://evil.example' }],
    ['a page of another port on localhost', { origin: 'http://localhost:8080' }],
    ['an opaque origin', { origin: 'null' }],
    ['a browser sending for another site', { 'sec-fetch-site': 'cross-site' }],
    ['a browser sending for a same-site page', { 'sec-fetch-site': 'same-site' }],
    ['a rebound domain', { host: 'rebind.example:3000' }],
  ];

  it.each(hostile)('refuses %s on the REST API with 403, creating nothing', async (_, headers) => {
    const body = JSON.stringify({ jobTemplateId: 'from-a-page', description: 'x', document: '{}' });
    const answer = await send(`${stack().apiUrl}/job-templates`, 'POST', { ...json, ...headers }, body);
    expect(answer.status).toBe(403);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    const read = await send(`${stack().apiUrl}/job-templates/from-a-page`, 'GET', {});
    expect(read.status).toBe(404);
  });

  it.each(hostile)('refuses %s on the AWS endpoint and its admin surface with 403', async (_, headers) => {
    const before = await (await fetch(`${stack().awsUrl}/_fleetwave/clock`)).json();
    const moved = await send(
      `${stack().awsUrl}/_fleetwave/clock/advance`,
      'POST',
      { ...json, ...headers },
      JSON.stringify({ hours: 1 }),
    );
    expect(moved.status).toBe(403);
    expect(await (await fetch(`${stack().awsUrl}/_fleetwave/clock`)).json()).toEqual(before);
    const dynamo = await send(stack().awsUrl, 'POST', { ...dynamoHeaders, ...headers }, '{}');
    expect(dynamo.status).toBe(403);
    expect(dynamo.headers['x-amzn-errortype']).toBe('AccessDeniedException');
  });

  it('serves its own origin, and SDK-like clients with no Origin, without granting CORS', async () => {
    const api = new URL(stack().apiUrl);
    const own = await send(`${stack().apiUrl}/job-templates`, 'GET', {
      origin: api.origin,
      'sec-fetch-site': 'same-origin',
    });
    expect(own.status).toBe(200);
    const localhost = await send(`${stack().apiUrl}/job-templates`, 'GET', { host: `localhost:${api.port}` });
    expect(localhost.status).toBe(200);
    const aws = new URL(stack().awsUrl);
    const dynamo = await send(stack().awsUrl, 'POST', { ...dynamoHeaders, origin: aws.origin }, '{}');
    expect(dynamo.status).toBe(200);
    expect(dynamo.headers['access-control-allow-origin']).toBeUndefined();
    const sdkLike = await send(stack().awsUrl, 'POST', dynamoHeaders, '{}');
    expect(sdkLike.status).toBe(200);
  });
});

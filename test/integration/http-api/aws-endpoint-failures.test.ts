/**
 * A service that throws while handling a request fails that request with
 * `500 InternalFailure`; the shared endpoint goes on serving the others.
 */
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { closeServer, listen } from '../../../local/aws-endpoint/listen.js';
import { type AwsService, createAwsEndpoint } from '../../../local/aws-endpoint/router.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await closeServer(server);
});

const signed = (service: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
});

describe('the shared AWS endpoint when a service throws', () => {
  it('answers that request 500 InternalFailure and keeps serving', async () => {
    const broken: AwsService = {
      signingName: 'broken',
      handle: () => {
        throw new RangeError('Maximum call stack size exceeded');
      },
    };
    const healthy: AwsService = {
      signingName: 'healthy',
      handle: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      },
    };
    const server = createAwsEndpoint([broken, healthy]);
    servers.push(server);
    const url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
    const failed = await fetch(url, { method: 'POST', headers: signed('broken'), body: '{}' });
    expect(failed.status).toBe(500);
    expect(failed.headers.get('x-amzn-errortype')).toBe('InternalFailure');
    expect(await failed.json()).toEqual({ message: 'An internal error occurred.' });
    const served = await fetch(url, { method: 'POST', headers: signed('healthy'), body: '{}' });
    expect(served.status).toBe(200);
  });
});

/**
 * DynamoDB for the local stack: dynalite mounted on the shared AWS endpoint
 * (no port of its own). Requests signed for `dynamodb` or carrying an
 * `X-Amz-Target: DynamoDB_20120810.*` header go straight to dynalite's
 * request listener. Dynalite answers with DynamoDB's own error names and
 * statuses, so the SDK sees what it would see from AWS, except for what
 * dynalite lacks: transactions, TTL and PartiQL (fleetwave uses none).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import dynalite from 'dynalite';
import { readBodyBytes, writeJson } from '../aws-endpoint/http-io.js';
import type { AwsService } from '../aws-endpoint/router.js';
import { checkRequestLimits } from './request-limits.js';

export interface DynamoDbServiceOptions {
  /** A directory for an on-disk LevelDB store that survives restarts; in memory when absent. */
  path?: string;
}

export interface DynamoDbService extends AwsService {
  /** Closes the store (releasing the LevelDB lock of an on-disk store); safe to call twice. */
  close(): Promise<void>;
}

export function createDynamoDbService(options: DynamoDbServiceOptions = {}): DynamoDbService {
  // Tables are ACTIVE at once: nothing local should wait out AWS's creation delay.
  const server = dynalite({
    ...(options.path !== undefined && { path: options.path }),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  const [listener] = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  if (!listener) throw new Error('dynalite created a server without a request listener');
  let closing: Promise<void> | undefined;

  return {
    signingName: 'dynamodb',
    targetPrefixes: ['DynamoDB_20120810'],
    handle(req, res) {
      guardRequest(req, res)
        .then(
          (replay) => {
            // An exception in dynalite's synchronous validation fails this request only.
            if (replay) listener.call(server, replay, res);
          },
          () => res.destroy(),
        )
        .catch((error: unknown) => internalError(res, error));
    },
    close() {
      closing ??= closeStore(server);
      return closing;
    },
  };
}

/**
 * dynalite closes its store only from `server.close()`, which fails before
 * touching the store when the server never listened. So the server listens
 * on a loopback port for the instant it takes to close it; no request can
 * reach it in between, since nobody knows the port.
 */
function closeStore(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.close((error) => (error ? reject(error) : resolve()));
    });
  });
}

function internalError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  console.error('local DynamoDB: a request failed inside the engine:', error);
  writeJson(
    res,
    500,
    { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' },
    { 'content-type': 'application/x-amz-json-1.0' },
  );
}

/**
 * Reads the whole body (its size capped by the shared endpoint, request-size.ts), refuses what
 * DynamoDB's limits refuse (request-limits.ts), and hands dynalite a replay of the request.
 */
async function guardRequest(req: IncomingMessage, res: ServerResponse): Promise<IncomingMessage | undefined> {
  const body = await readBodyBytes(req);
  const refusal = body.length > 0 ? checkRequestLimits(body.toString('utf8'), body.length) : undefined;
  if (refusal) {
    const answer = {
      __type: refusal.type,
      ...(refusal.message !== undefined && { message: refusal.message }),
    };
    writeJson(res, 400, answer, { 'content-type': 'application/x-amz-json-1.0' });
    return undefined;
  }
  // Without an Origin, dynalite adds no `Access-Control-Allow-Origin: *`: the stack grants no CORS.
  const { origin: _origin, ...headers } = req.headers;
  const replay = Object.assign(Readable.from(body.length > 0 ? [body] : []), {
    headers,
    method: req.method,
    url: req.url,
  });
  return replay as unknown as IncomingMessage;
}

/**
 * The API Gateway HTTP API payload (format version 2.0) and the Lambda context
 * for one request, built the way AWS builds them: lower-cased headers with
 * repeated values joined by commas, cookies moved to `cookies`, query values
 * decoded and repeated values joined by commas, path parameters decoded,
 * binary bodies base64-encoded.
 */
import { randomFillSync, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

/** A request as the gateway received it. */
export interface GatewayRequest {
  method: string;
  /** Path and query string exactly as sent (`/job-templates?limit=5`). */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  sourceIp: string;
}

/** Where the request is going. */
export interface EventTarget {
  routeKey: string;
  pathParameters: Record<string, string>;
  /** Epoch ms of the request (the stack's clock). */
  timeEpoch: number;
  accountId: string;
  apiId: string;
}

/** Content types API Gateway passes as text; everything else arrives base64-encoded. */
const textual = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|[\w.+-]+\+(json|xml)))/i;

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, the CLF time API Gateway puts in `requestContext.time`. */
export function clfTime(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/*
 * Every request needs three random ids (request id, trace id, log stream).
 * One `randomBytes` call each costs a trip into the crypto binding; under
 * load that was a visible share of the gateway's own time. Ids are cut from
 * a pool refilled in one call instead (the same source, as `randomUUID`
 * does internally).
 */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

/** `size` fresh random bytes (a view of the pool, valid until the next call). */
function randomPoolBytes(size: number): Buffer {
  if (poolOffset + size > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + size);
  poolOffset += size;
  return bytes;
}

/** An API Gateway request id: 16 characters, like `JKJaXmPLvHcESHA=`. */
export function newApiRequestId(): string {
  return `${randomPoolBytes(11).toString('base64').slice(0, 15)}=`;
}

function splitUrl(url: string): { rawPath: string; rawQueryString: string } {
  const q = url.indexOf('?');
  return q < 0
    ? { rawPath: url, rawQueryString: '' }
    : { rawPath: url.slice(0, q), rawQueryString: url.slice(q + 1) };
}

function queryParameters(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    out[key] = key in out ? `${out[key]},${value}` : value;
  }
  return out;
}

/** True when every percent-escape of `rawPath` decodes (the event carries the decoded path). */
export function wellEncodedPath(rawPath: string): boolean {
  try {
    decodeURI(rawPath);
    return true;
  } catch {
    return false;
  }
}

/** Builds the version 2.0 event for `req` on `target`. */
export function buildHttpApiEvent(
  req: GatewayRequest,
  target: EventTarget,
  requestId: string,
): APIGatewayProxyEventV2 {
  const { rawPath, rawQueryString } = splitUrl(req.url);
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (name === 'cookie') {
      cookies = String(value)
        .split(/;\s*/)
        .filter((c) => c !== '');
      continue;
    }
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const host = headers.host ?? 'localhost';
  headers['x-forwarded-for'] = req.sourceIp;
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-port'] ??= host.split(':')[1] ?? '80';
  headers['x-amzn-trace-id'] ??=
    `Root=1-${Math.floor(target.timeEpoch / 1000).toString(16)}-${randomPoolBytes(12).toString('hex')}`;
  const contentType = headers['content-type'] ?? '';
  const hasBody = req.body.length > 0;
  const isBase64Encoded = hasBody && !textual.test(contentType);
  const query = queryParameters(rawQueryString);
  const hasParams = Object.keys(target.pathParameters).length > 0;
  const domainName = host.split(':')[0] ?? host;
  return {
    version: '2.0',
    routeKey: target.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies ? { cookies } : {}),
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: target.accountId,
      apiId: target.apiId,
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: req.method.toUpperCase(),
        path: decodeURI(rawPath),
        protocol: 'HTTP/1.1',
        sourceIp: req.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: target.routeKey,
      stage: '$default',
      time: clfTime(target.timeEpoch),
      timeEpoch: target.timeEpoch,
    },
    ...(hasParams ? { pathParameters: target.pathParameters } : {}),
    ...(hasBody ? { body: isBase64Encoded ? req.body.toString('base64') : req.body.toString('utf8') } : {}),
    isBase64Encoded,
  };
}

/** What the Lambda context needs to know about the function. */
export interface FunctionInfo {
  functionName: string;
  region: string;
  accountId: string;
  memorySize: number;
  timeoutSeconds: number;
}

/** A Lambda context for one invocation; the remaining time counts down in wall time, as Lambda's does. */
export function buildLambdaContext(fn: FunctionInfo): Context {
  const deadline = Date.now() + fn.timeoutSeconds * 1000;
  const unsupported = () => {
    throw new Error('Callback-style context methods are not supported; return a promise.');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${fn.region}:${fn.accountId}:function:${fn.functionName}`,
    memoryLimitInMB: String(fn.memorySize),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${fn.functionName}`,
    logStreamName: `local/[$LATEST]${randomPoolBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

/**
 * The local HTTP API: serves the routes `serverless.yml` declares on
 * 127.0.0.1, invoking each route's handler in-process with a version 2.0
 * payload and answering its result as API Gateway would, including API
 * Gateway's own answers (`{"message":"Not Found"}` for an unknown route, 500
 * `{"message":"Internal Server Error"}` when a handler throws or answers
 * nonsense, 413 over the 10 MB payload limit).
 *
 * Requests a web page sends (another origin, another site, a rebound
 * `Host`) are refused with 403 first (`dashboard/serve/cross-site-guard.ts`).
 *
 * With `dashboard`, the same port serves the dashboard (`GET /`,
 * `/dashboard/...`) before any route, and forwards the GET requests of the
 * local stack's read-only admin routes (`adminPaths`) to its AWS endpoint,
 * so the page reads the recorded events, messages and metrics same-origin.
 *
 * The `aws_iam` authorizer the routes carry on AWS (SigV4 with IAM
 * credentials) is checked with `FLEETWAVE_LOCAL_AUTH=sigv4`, against the
 * stack's own key pair and any in `FLEETWAVE_LOCAL_SIGV4_KEYS` (see
 * `sigv4-auth.ts`; the caller is its access key id); otherwise, when
 * `FLEETWAVE_API_TOKEN` is set, the same routes require that bearer token
 * instead (see `api-token.ts`), and else nothing; the caller is then `local`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { type DashboardAssets, dashboardAssets } from '../../dashboard/serve/assets.js';
import { crossSiteRefusal } from '../../dashboard/serve/cross-site-guard.js';
import { errorResult } from '../../lib/http/error-response.js';
import { toProxyResult } from '../../lib/http/responses.js';
import { closeServer, listen } from '../aws-endpoint/listen.js';
import type { Clock } from '../clock/clock.js';
import { functionNameOf, projectRoot, readServerlessYml, type ServerlessYml } from '../serverless-yml.js';
import { apiTokenOf, checkApiToken, localAuthorizer } from './api-token.js';
import { buildHttpApiEvent, buildLambdaContext, newApiRequestId, wellEncodedPath } from './event.js';
import { importHandler } from './handler-module.js';
import { type Route, routesOf, selectRoute } from './routes.js';
import {
  iamAuthorizerOf,
  SigV4Refusal,
  type SigV4Settings,
  sigV4Mismatch,
  sigV4SettingsOf,
  verifySigV4,
} from './sigv4-auth.js';

/** API Gateway HTTP API's payload limit. */
const maxPayloadBytes = 10 * 1024 * 1024;

type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

export interface HttpApiOptions {
  /** Port to listen on; 0 picks a free one. */
  port: number;
  host?: string;
  /** Repository root holding `serverless.yml` and the handlers. */
  root?: string;
  /** The parsed `serverless.yml`, when the caller already has it; read from `root` otherwise. */
  yml?: ServerlessYml;
  /** Source of `requestContext.timeEpoch` and of the `Date` header; the wall clock by default. */
  clock?: Clock;
  region: string;
  accountId: string;
  /** Used in function names (`fleetwave-<stage>-<function>`). */
  stage?: string;
  /**
   * The bearer token the routes with an `aws_iam` authorizer require, read
   * at each request (none: every request is let in); `FLEETWAVE_API_TOKEN`
   * of the process environment by default.
   */
  apiToken?: () => string | undefined;
  /**
   * When it gives settings, the routes with an `aws_iam` authorizer require
   * a SigV4 signature made with that key pair, as API Gateway's `AWS_IAM`
   * authoriser does, and the bearer token is not asked for. Read at each
   * request; by default `FLEETWAVE_LOCAL_AUTH=sigv4` with the process's
   * `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (the pair the local stack
   * sets for its handlers).
   */
  sigV4?: () => SigV4Settings | undefined;
  /**
   * Serve the dashboard: its built files under `<root>/dist/dashboard/`, and
   * the admin routes of the stack's AWS endpoint at `awsEndpointUrl`.
   */
  dashboard?: { root: string; awsEndpointUrl: string };
}

export interface HttpApi {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly routes: readonly Route[];
  close(): Promise<void>;
}

/**
 * Writes an answer with its `Content-Length`, as API Gateway does. It must be
 * among the headers `writeHead` gets: without it Node answers in chunked
 * encoding, which costs every answer more bytes and writes. 204 and 304 carry
 * neither a body nor a length.
 */
function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | string[]>,
  body?: Buffer | string,
): void {
  if (status === 204 || status === 304) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const length = body === undefined ? 0 : Buffer.byteLength(body);
  res.writeHead(status, { ...headers, 'content-length': String(length) });
  res.end(body);
}

function gatewayError(res: ServerResponse, status: number, message: string, requestId: string): void {
  send(
    res,
    status,
    { 'content-type': 'application/json', 'apigw-requestid': requestId },
    JSON.stringify({ message }),
  );
}

/** The AWS endpoint's read-only admin routes the dashboard reads through this port. */
const adminPaths: readonly string[] = [
  '/_fleetwave/events',
  '/_fleetwave/sns/messages',
  '/_fleetwave/metrics',
];

/** Answers a GET of an admin route with the AWS endpoint's answer (status, type and body). */
async function forwardAdmin(res: ServerResponse, awsEndpointUrl: string, url: string, requestId: string) {
  let upstream: Response;
  try {
    // A stuck endpoint answers 502 in time instead of holding the page's poll open.
    upstream = await fetch(awsEndpointUrl + url, { signal: AbortSignal.timeout(10_000) });
  } catch {
    return gatewayError(res, 502, 'Bad Gateway', requestId);
  }
  const body = Buffer.from(await upstream.arrayBuffer());
  const headers: Record<string, string> = {
    'apigw-requestid': requestId,
    'content-type': upstream.headers.get('content-type') ?? 'application/json',
    'cache-control': 'no-cache',
  };
  send(res, upstream.status, headers, body);
}

/** Writes a Lambda result the way API Gateway interprets payload version 2.0 results. */
function writeResult(res: ServerResponse, result: unknown, requestId: string): void {
  const base = { 'apigw-requestid': requestId };
  if (result === undefined || result === null) {
    gatewayError(res, 500, 'Internal Server Error', requestId);
    return;
  }
  const structured = typeof result === 'object' && 'statusCode' in result;
  if (!structured) {
    // Format inference: anything without a statusCode is a 200 JSON body.
    send(res, 200, { ...base, 'content-type': 'application/json' }, JSON.stringify(result));
    return;
  }
  const r = result as {
    statusCode: unknown;
    headers?: Record<string, unknown>;
    body?: unknown;
    isBase64Encoded?: boolean;
    cookies?: string[];
  };
  if (typeof r.statusCode !== 'number' || r.statusCode < 100 || r.statusCode > 599) {
    gatewayError(res, 500, 'Internal Server Error', requestId);
    return;
  }
  const headers: Record<string, string | string[]> = { ...base };
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
  if (r.cookies?.length) headers['set-cookie'] = r.cookies;
  const body =
    typeof r.body === 'string' ? (r.isBase64Encoded ? Buffer.from(r.body, 'base64') : r.body) : undefined;
  send(res, r.statusCode, headers, body);
}

/**
 * The request body, or undefined as soon as it passes the payload limit (the
 * rest is read and dropped, so the 413 still reaches the caller). Plain listeners rather than an async
 * iterator: most requests (every GET) have no body, and the iterator's setup
 * cost more than reading.
 */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxPayloadBytes) {
        chunks.length = 0;
        resolve(undefined);
      } else chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Starts the HTTP API on `options.host` (127.0.0.1) and `options.port`. */
export async function startHttpApi(options: HttpApiOptions): Promise<HttpApi> {
  const root = options.root ?? projectRoot;
  const host = options.host ?? '127.0.0.1';
  const yml = options.yml ?? (await readServerlessYml(root));
  const routes = routesOf(yml);
  const stage = options.stage ?? 'local';
  const handlers = new Map<string, Promise<LambdaHandler>>();
  const apiToken = options.apiToken ?? (() => apiTokenOf(process.env));
  // A token too short to guard anything stops the start, not the first request.
  apiToken();
  const sigV4Settings = options.sigV4 ?? (() => sigV4SettingsOf(process.env, options.region));
  // As for the token: a setting that cannot work stops the start.
  sigV4Settings();

  const dashboard: DashboardAssets | undefined =
    options.dashboard && dashboardAssets({ root: options.dashboard.root });

  const load = (route: Route): Promise<LambdaHandler> => {
    let loaded = handlers.get(route.functionKey);
    if (!loaded) {
      loaded = importHandler<LambdaHandler>(root, route.handler);
      handlers.set(route.functionKey, loaded);
    }
    return loaded;
  };

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = newApiRequestId();
    // API Gateway's `Date` is its own time; here that is the stack's clock, which a page counts down from.
    res.setHeader('date', new Date(options.clock?.now() ?? Date.now()).toUTCString());
    const refusal = crossSiteRefusal(req, host, undefined, { dashboardPages: dashboard !== undefined });
    if (refusal) {
      req.resume();
      return gatewayError(res, 403, refusal, requestId);
    }
    const url = req.url ?? '/';
    if (dashboard && options.dashboard) {
      if (await dashboard(req, res)) return;
      if (req.method === 'GET' && adminPaths.includes(url.split('?')[0] ?? '')) {
        req.resume();
        return forwardAdmin(res, options.dashboard.awsEndpointUrl, url, requestId);
      }
    }
    const match = selectRoute(routes, req.method ?? 'GET', url.split('?')[0] ?? '/');
    const body = await readBody(req);
    // A broken percent-encoding (`/releases/%ZZ`) is refused by API Gateway itself, before any route.
    if (!wellEncodedPath(url.split('?')[0] ?? '/')) return gatewayError(res, 400, 'Bad Request', requestId);
    if (!match) return gatewayError(res, 404, 'Not Found', requestId);
    if (!body) return gatewayError(res, 413, 'Request Entity Too Large', requestId);
    const event = buildHttpApiEvent(
      {
        method: req.method ?? 'GET',
        url,
        headers: req.headers,
        body,
        sourceIp: req.socket.remoteAddress ?? host,
      },
      {
        routeKey: match.route.routeKey,
        pathParameters: match.pathParameters,
        timeEpoch: options.clock?.now() ?? Date.now(),
        accountId: options.accountId,
        apiId: 'local',
      },
      requestId,
    );
    if (match.route.iamAuthorizer) {
      const sigV4 = sigV4Settings();
      try {
        if (sigV4) {
          const request = { method: req.method ?? 'GET', url, headers: req.headers, body };
          const caller = await verifySigV4(request, sigV4, Date.now());
          Object.assign(event.requestContext, { authorizer: iamAuthorizerOf(caller, options.accountId) });
        } else {
          checkApiToken(event.headers, apiToken());
          Object.assign(event.requestContext, { authorizer: localAuthorizer(options.accountId) });
        }
      } catch (error) {
        if (!sigV4) return writeResult(res, toProxyResult(errorResult(error)), requestId);
        // A request the verifier cannot even read is refused as unsigned-as-sent, never a 500.
        if (!(error instanceof SigV4Refusal)) console.error('local HTTP API: SigV4 check failed', error);
        return gatewayError(
          res,
          403,
          error instanceof SigV4Refusal ? error.message : sigV4Mismatch,
          requestId,
        );
      }
    }
    const context = buildLambdaContext({
      functionName: functionNameOf(yml, stage, match.route.functionKey),
      region: options.region,
      accountId: options.accountId,
      memorySize: match.route.memorySize,
      timeoutSeconds: match.route.timeoutSeconds,
    });
    let result: unknown;
    try {
      result = await (await load(match.route))(event, context);
    } catch (error) {
      // What Lambda would log for an unhandled invocation error.
      console.error(`[${match.route.functionKey}] invocation failed`, error);
      return gatewayError(res, 500, 'Internal Server Error', requestId);
    }
    writeResult(res, result, requestId);
  };

  const server: Server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      console.error('local HTTP API failed', error);
      if (!res.headersSent) gatewayError(res, 500, 'Internal Server Error', 'unknown');
    });
  });
  const port = await listen(server, options.port, host);
  return {
    url: `http://${host}:${port}`,
    routes,
    close: () => closeServer(server),
  };
}

/**
 * The one middy stack every HTTP handler uses:
 *
 *   request log  ->  error answer  ->  request validation  ->  your function  ->  ETag (GET)
 *
 * Your function receives the validated, typed input and returns an
 * {@link HttpResult}; it never parses JSON, never catches errors and never
 * builds error bodies. Whatever it throws is answered by `errorResult`.
 *
 * Who may call a route is not the handler's business: on AWS the route's
 * IAM authorizer decides before the handler runs (locally, the gateway
 * stands in for it).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { borrowingScope, withIotCallScope } from '../adapters/iot-call-scope.js';
import { logger } from '../logger.js';
import { withInvocationMetrics } from '../metrics/invocation-metrics.js';
import { errorResult } from './error-response.js';
import { conditionalGet } from './etag.js';
import {
  defaultMaxBodyBytes,
  parseRequest,
  type RequestInput,
  type RequestSchemas,
} from './parse-request.js';
import { type HttpResult, toProxyResult } from './responses.js';

/** What a handler function gets besides its input. */
export interface HttpContext {
  event: APIGatewayProxyEventV2;
  lambda: Context;
  logger: Logger;
}

/**
 * A route's schemas, plus its body size limit (default {@link defaultMaxBodyBytes}).
 */
export type HttpHandlerOptions<S extends RequestSchemas> = S & { maxBodyBytes?: number };

/** The Lambda entry point an HTTP route exports as `handler`. */
type HttpLambdaHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** What a route enforces, readable from its handler (the OpenAPI document is checked against it). */
export interface HttpRouteContract {
  schemas: RequestSchemas;
  maxBodyBytes: number;
}

/** An HTTP handler, carrying the contract it enforces. */
export type HttpRouteHandler = HttpLambdaHandler & { readonly contract: HttpRouteContract };

type Request = middy.Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>;

/** Where the validation middleware leaves the parsed input for the handler function. */
const inputKey = Symbol('fleetwave.input');
type ContextWithInput = Context & { [inputKey]?: unknown };

function requestLog(): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const started = new WeakMap<object, number>();
  const done = (request: Request) => {
    const ms = Math.round(performance.now() - (started.get(request.context) ?? performance.now()));
    logger().info('request', { status: request.response?.statusCode, duration_ms: ms });
    logger().resetKeys();
  };
  return {
    before: (request) => {
      started.set(request.context, performance.now());
      const log = logger();
      log.addContext(request.context);
      log.appendKeys({
        api_request_id: request.event.requestContext?.requestId,
        route_key: request.event.routeKey,
      });
    },
    after: done,
    onError: done,
  };
}

function errorAnswer(): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    onError: (request) => {
      const result = errorResult(request.error);
      if (result.statusCode >= 500) {
        logger().error('request failed', request.error ?? 'unknown error');
      } else {
        logger().info('request rejected', { error: request.error?.name, message: request.error?.message });
      }
      // Set, not return: returning would stop the chain before the request log sees the answer.
      request.response = toProxyResult(result);
    },
  };
}

function validation(
  schemas: RequestSchemas,
  maxBodyBytes: number | undefined,
): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    before: (request) => {
      (request.context as ContextWithInput)[inputKey] = parseRequest(request.event, schemas, maxBodyBytes);
    },
  };
}

/**
 * Builds an HTTP API (payload v2) handler: validates the request against
 * `options` (body, path, query), runs `run` with the typed input, and answers
 * its {@link HttpResult} or the mapped error.
 *
 * @example
 * export const handler = httpHandler({ path: z.object({ id: resourceIdSchema }) },
 *   async ({ path }) => ok(await store().describe(path.id)));
 */
export function httpHandler<S extends RequestSchemas>(
  options: HttpHandlerOptions<S>,
  run: (input: RequestInput<S>, ctx: HttpContext) => Promise<HttpResult>,
): HttpRouteHandler {
  const { maxBodyBytes = defaultMaxBodyBytes, ...schemas } = options;
  const stack = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
    .use(requestLog())
    .use(errorAnswer())
    .use(validation(schemas, maxBodyBytes))
    .handler(async (event, context) => {
      const input = (context as ContextWithInput)[inputKey] as RequestInput<S>;
      return conditionalGet(
        event,
        toProxyResult(await run(input, { event, lambda: context, logger: logger() })),
      );
    });
  // IoT calls a request makes are counted in the account's IoT call budget, on the request's clock;
  // the metrics the request adds are written when it ends.
  const handler: HttpLambdaHandler = (event, context) =>
    withInvocationMetrics(() =>
      withIotCallScope(borrowingScope(event.requestContext?.timeEpoch ?? Date.now()), () =>
        stack(event, context),
      ),
    );
  return Object.assign(handler, { contract: { schemas, maxBodyBytes } });
}

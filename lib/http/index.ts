/** The HTTP layer every API handler shares: the middy stack, results and error mapping. */

export { logger } from '../logger.js';
export { type ErrorBody, errorResult, statusByErrorName } from './error-response.js';
export {
  type HttpContext,
  type HttpHandlerOptions,
  type HttpLambdaHandler,
  type HttpRouteContract,
  type HttpRouteHandler,
  httpHandler,
} from './handler.js';
export {
  defaultMaxBodyBytes,
  parseRequest,
  type RequestInput,
  type RequestSchemas,
} from './parse-request.js';
export { accepted, created, type HttpResult, noContent, ok, toProxyResult } from './responses.js';

/** The HTTP layer every API handler shares: the middy stack, results and error mapping. */

export {
  type HttpRouteContract,
  type HttpRouteHandler,
  httpHandler,
} from './handler.js';

export { accepted, created, type HttpResult, madeOrFound, noContent, ok } from './responses.js';

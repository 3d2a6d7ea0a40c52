/** EventBridge in the local stack: PutEvents, rules routed to local targets, ListRules/DescribeRule. */
export { eventBridgeAdminRoutes } from './admin-routes.js';

export {
  createEventBridgeService,
  type EventBridgeService,
} from './eventbridge-service.js';

export type { EventBridgeEvent } from './put-events.js';
export {
  type FunctionRule,
  functionRulesOf,
  subscribeFunctionRules,
} from './serverless-rules.js';

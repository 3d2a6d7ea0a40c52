/** EventBridge in the local stack: PutEvents, rules routed to local targets, ListRules/DescribeRule. */
export { type AdminRoute, eventBridgeAdminRoutes } from './admin-routes.js';
export {
  type DeadLetter,
  type DeliveryClock,
  type DeliveryFailure,
  defaultRetryBackoff,
  defaultRetryPolicy,
  type EventTarget,
  type RetryBackoff,
  type RetryPolicy,
  type SubscribeOptions,
  type Subscription,
} from './delivery.js';
export {
  createEventBridgeService,
  type EventBridgeService,
  type EventBridgeServiceOptions,
  type RecordedEvent,
  type RecordedEventFilter,
} from './eventbridge-service.js';
export { EventsError } from './protocol.js';
export {
  type EventBridgeEvent,
  MAX_ENTRIES,
  MAX_REQUEST_BYTES,
  type PutEventsResponse,
  type PutEventsResultEntry,
} from './put-events.js';
export {
  type FunctionInvoker,
  type FunctionRule,
  functionRulesOf,
  subscribeFunctionRules,
} from './serverless-rules.js';

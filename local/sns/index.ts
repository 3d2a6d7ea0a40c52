/** SNS in the local stack: topics and recorded messages over the query protocol. */
export { snsAdminRoutes } from './admin-routes.js';
export { SnsError } from './query-protocol.js';
export { type TopicResource, topicResourcesOf } from './serverless-topics.js';
export { createSnsService, type SnsService, type SnsServiceOptions } from './sns-service.js';
export { MAX_MESSAGE_BYTES, type MessageAttribute, type PublishedMessage, type Topic } from './topics.js';

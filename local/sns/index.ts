/** SNS in the local stack: topics and recorded messages over the query protocol. */

export { snsAdminRoutes } from './admin-routes.js';
export { createStackTopics, topicResourcesOf } from './serverless-topics.js';
export { createSnsService, type SnsService } from './sns-service.js';

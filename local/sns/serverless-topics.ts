/**
 * The SNS topics `serverless.yml` declares (`AWS::SNS::Topic` resources), so
 * the local stack creates them as a deployment would. A topic without
 * `TopicName` gets `<service>-<stage>-<LogicalId>` locally (CloudFormation
 * would add a random suffix; nothing should depend on the generated name).
 */
import type { ServerlessYml } from '../serverless-yml.js';

export interface TopicResource {
  logicalId: string;
  topicName: string;
  /** `Properties.FifoTopic`, as CreateTopic's `FifoTopic` attribute. */
  attributes: Record<string, string>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function topicResourcesOf(yml: ServerlessYml, stage = 'local'): TopicResource[] {
  return Object.entries(yml.resources?.Resources ?? {}).flatMap(([logicalId, resource]) => {
    if (!isObject(resource) || resource.Type !== 'AWS::SNS::Topic') return [];
    const properties = isObject(resource.Properties) ? resource.Properties : {};
    const name =
      typeof properties.TopicName === 'string'
        ? properties.TopicName
        : `${yml.service}-${stage}-${logicalId}`;
    const fifo = properties.FifoTopic === true || properties.FifoTopic === 'true';
    const attributes: Record<string, string> = fifo ? { FifoTopic: 'true' } : {};
    return [{ logicalId, topicName: name, attributes }];
  });
}

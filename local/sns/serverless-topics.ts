/**
 * The SNS topics `serverless.yml` declares (`AWS::SNS::Topic` resources), so
 * the local stack creates them as a deployment would. A topic without
 * `TopicName` gets `<service>-<stage>-<LogicalId>` locally (CloudFormation
 * would add a random suffix; nothing should depend on the generated name).
 */
import { resolveVariables } from '../serverless-variables.js';
import type { ServerlessYml } from '../serverless-yml.js';
import type { SnsService } from './sns-service.js';

export interface TopicResource {
  logicalId: string;
  topicName: string;
  /** `Properties.FifoTopic`, as CreateTopic's `FifoTopic` attribute. */
  attributes: Record<string, string>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The topics of `yml` as a deployment to `stage` in `region` names them (Serverless variables resolved). */
export function topicResourcesOf(yml: ServerlessYml, stage = 'local', region = 'us-east-1'): TopicResource[] {
  return Object.entries(yml.resources?.Resources ?? {}).flatMap(([logicalId, resource]) => {
    if (!isObject(resource) || resource.Type !== 'AWS::SNS::Topic') return [];
    const properties = isObject(resource.Properties) ? resource.Properties : {};
    const name =
      typeof properties.TopicName === 'string'
        ? resolveVariables(properties.TopicName, yml, { stage, region })
        : `${yml.service}-${stage}-${logicalId}`;
    const fifo = properties.FifoTopic === true || properties.FifoTopic === 'true';
    const attributes: Record<string, string> = fifo ? { FifoTopic: 'true' } : {};
    return [{ logicalId, topicName: name, attributes }];
  });
}

/**
 * Creates `topics` in `sns`; answers each topic's ARN by its logical id, so
 * the stack hands each function the topic its variable names (a `!Ref`),
 * whatever order the resources come in.
 */
export function createStackTopics(
  sns: Pick<SnsService, 'createTopic'>,
  topics: readonly TopicResource[],
): ReadonlyMap<string, string> {
  return new Map(topics.map((t) => [t.logicalId, sns.createTopic(t.topicName, t.attributes)]));
}

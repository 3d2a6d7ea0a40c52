/**
 * The local stack hands each function the topic its variable names, by
 * logical id: the release notifications go to `NotificationTopic` even when
 * another topic (the alarms') comes first in serverless.yml.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../local/clock/virtual-clock.js';
import { parseServerlessYml } from '../../../local/serverless-yml.js';
import { createSnsService, createStackTopics, topicResourcesOf } from '../../../local/sns/index.js';

const yml = parseServerlessYml(`
service: fleetwave
provider: { name: aws }
resources:
  Resources:
    AlarmTopic:
      Type: AWS::SNS::Topic
      Properties: { DisplayName: fleetwave alarms }
    NotificationTopic:
      Type: AWS::SNS::Topic
      Properties: { DisplayName: fleetwave }
`);

describe('the stack topics', () => {
  it('are answered by logical id, whatever their order', () => {
    const sns = createSnsService({ clock: new VirtualClock(), accountId: '123456789012' });
    const topics = createStackTopics(sns, topicResourcesOf(yml, 'local', 'us-east-1'));
    expect(topics.get('NotificationTopic')).toBe(
      'arn:aws:sns:us-east-1:123456789012:fleetwave-local-NotificationTopic',
    );
    expect(topics.get('AlarmTopic')).toBe('arn:aws:sns:us-east-1:123456789012:fleetwave-local-AlarmTopic');
    expect(
      sns
        .topics()
        .map((t) => t.arn)
        .sort(),
    ).toEqual([...topics.values()].sort());
  });
});

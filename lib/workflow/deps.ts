/**
 * The workflow's dependencies on AWS, built once per configuration (a
 * Lambda cold start): the release repository on DynamoDB, the IoT adapters,
 * and the release events' channels (EventBridge, SNS, the release's webhook).
 * The store counts the release and wave metrics as it records the changes.
 */
import { dynamoDbDocumentClient } from '../adapters/dynamodb-client.js';
import { eventPublisher } from '../adapters/event-publisher.js';
import { jobTemplateStore } from '../adapters/iot-job-templates.js';
import { waveJobs } from '../adapters/iot-jobs.js';
import { thingGroups } from '../adapters/iot-thing-groups.js';
import { ReleaseRepository } from '../adapters/release-repository.js';
import { webhookSecrets } from '../adapters/secrets.js';
import { snsNotifier } from '../adapters/sns-notifier.js';
import { WebhookNotifier } from '../adapters/webhook-notifier.js';
import { type Config, perConfig, requireSetting } from '../config.js';
import { measuredReleaseStore } from '../metrics/measured-release-store.js';
import { releaseNotifier } from './notify.js';
import type { Notifier, WorkflowDeps } from './ports.js';

/** A release's webhook gets at most this long per event, well within a task's 60 s timeout. */
const WEBHOOK_MAX_TOTAL_MS = 20_000;

/**
 * EventBridge, SNS when a topic is configured, and each release's webhook.
 * The publisher reads FLEETWAVE_EVENT_BUS_NAME on first use, so a task that
 * publishes nothing never needs it.
 */
function workflowNotifier(c: Config, repository: ReleaseRepository): Notifier {
  return releaseNotifier({
    events: { publish: async (event) => void (await eventPublisher().publish(event)) },
    ...(c.resources.notificationTopicArn !== undefined && { people: snsNotifier() }),
    webhook: new WebhookNotifier(
      { signingSecrets: () => webhookSecrets().get('outgoing') },
      { maxTotalMs: WEBHOOK_MAX_TOTAL_MS },
    ),
    releases: repository,
    history: repository,
  });
}

/** The process's workflow dependencies. @throws ConfigError when FLEETWAVE_TABLE is not set */
export const workflowDeps: () => WorkflowDeps = perConfig((c) => {
  const repository = new ReleaseRepository(dynamoDbDocumentClient(), {
    tableName: requireSetting(c, 'tableName'),
    throttleRetryAfterSeconds: c.aws.throttleRetryAfterSeconds,
  });
  // Releases started and ended, waves ended: counted as the store records them (measured-release-store.ts).
  const store = measuredReleaseStore(repository);
  return {
    store,
    jobs: waveJobs(),
    groups: thingGroups(),
    templates: {
      resolve: async (jobTemplateId) => {
        const template = await jobTemplateStore().describe(jobTemplateId);
        return {
          jobTemplateArn: template.jobTemplateArn,
          ...(template.maintenanceWindows && { maintenanceWindows: template.maintenanceWindows }),
        };
      },
    },
    notifier: workflowNotifier(c, repository),
  };
});

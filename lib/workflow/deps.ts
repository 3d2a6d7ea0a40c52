/**
 * The workflow's dependencies on AWS, built once per configuration (a
 * Lambda cold start): the release repository on DynamoDB, the IoT adapters,
 * and EventBridge for the release events.
 */
import { dynamoDbDocumentClient } from '../adapters/dynamodb-client.js';
import { eventPublisher } from '../adapters/event-publisher.js';
import { jobTemplateStore } from '../adapters/iot-job-templates.js';
import { waveJobs } from '../adapters/iot-jobs.js';
import { thingGroups } from '../adapters/iot-thing-groups.js';
import { ReleaseRepository } from '../adapters/release-repository.js';
import { perConfig, requireSetting } from '../config.js';
import type { WorkflowDeps } from './ports.js';

/** The process's workflow dependencies. @throws ConfigError when FLEETWAVE_TABLE is not set */
export const workflowDeps: () => WorkflowDeps = perConfig((c) => ({
  store: new ReleaseRepository(dynamoDbDocumentClient(), {
    tableName: requireSetting(c, 'tableName'),
    throttleRetryAfterSeconds: c.aws.throttleRetryAfterSeconds,
  }),
  jobs: waveJobs(),
  groups: thingGroups(),
  templates: {
    arnOf: async (jobTemplateId) => (await jobTemplateStore().describe(jobTemplateId)).jobTemplateArn,
  },
  // The publisher reads FLEETWAVE_EVENT_BUS_NAME on first use, so a task that publishes nothing never needs it.
  notifier: {
    publish: async (event) => {
      await eventPublisher().publish(event);
    },
  },
}));

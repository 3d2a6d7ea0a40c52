/**
 * What `npm start` puts in the local stack so a newcomer has something to
 * roll out to: the demo fleet (region and hardware groups under the root
 * group `fleet`, and the small `canary-bad` cohort that misbehaves), device
 * behaviour that makes that cohort fail, and the job template `demo-ota`, a
 * realistic over-the-air firmware update.
 */

import type { LocalStack } from '../endpoints.js';
import type { BehaviourProfiles } from '../fleet/behaviour-profile.js';
import { defaultBehaviourProfiles } from '../fleet/behaviour-profile.js';
import type { SeedFleetSummary } from '../fleet/seed-fleet.js';
import type { CreateJobTemplateInput } from '../iot/index.js';

/** The demo job template's id. */
export const demoTemplateId = 'demo-ota';

/** The misbehaving cohort's thing group (the fleet seeder's default name). */
export const badCohortGroup = 'canary-bad';

/**
 * The job document a device receives. `${aws:iot:s3-presigned-url:...}` is
 * the placeholder AWS IoT replaces with a presigned S3 URL (signed with the
 * template's `presignedUrlConfig.roleArn`) when a device fetches the document.
 */
const demoJobDocument = {
  operation: 'ota-update',
  component: 'door-controller-firmware',
  firmware: {
    version: '2.4.0',
    previousVersion: '2.3.1',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: AWS IoT's placeholder, replaced by IoT, not by JavaScript
    url: '${aws:iot:s3-presigned-url:https://fleetwave-demo-firmware.s3.amazonaws.com/door-controller/2.4.0/firmware.bin}',
    sha256: '9f2c5a8e41d7b3c6e0a4f1d2b8c7e6a5f4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9',
    sizeBytes: 1_572_864,
    signature: { algorithm: 'ECDSA-P256-SHA256', keyId: 'fleetwave-demo-signing-2025' },
  },
  install: { rebootRequired: true, maxRebootDelaySeconds: 300, rollbackOnBootFailure: true },
};

/** CreateJobTemplate input of `demo-ota`. */
const demoTemplate: CreateJobTemplateInput = {
  jobTemplateId: demoTemplateId,
  description: 'Demo: door controller firmware 2.3.1 -> 2.4.0 over the air',
  document: JSON.stringify(demoJobDocument, null, 2),
  presignedUrlConfig: {
    roleArn: 'arn:aws:iam::123456789012:role/fleetwave-demo-firmware-download',
    expiresInSec: 3600,
  },
  timeoutConfig: { inProgressTimeoutInMinutes: 30 },
  jobExecutionsRolloutConfig: { maximumPerMinute: 1000 },
};

/**
 * A realistic fleet (a few devices fail or reject the update) in which the
 * `canary-bad` cohort fails most of its updates, so a release aimed at it
 * is stopped by its failure threshold. Every device is online and none
 * hangs: a device that never takes its job, or never ends it under a
 * template without an in-progress timeout, keeps its wave open until the
 * wave's timeout (a day by default), which is true to AWS but no demo.
 */
export const demoProfiles: BehaviourProfiles = {
  default: {
    ...defaultBehaviourProfiles.default,
    outcomes: { fail: 0.005, reject: 0.002, offline: 0, hang: 0 },
  },
  overrides: [
    {
      name: 'bad canaries',
      match: { thingGroup: badCohortGroup },
      outcomes: { fail: 0.6, reject: 0.1 },
      // The bad batch's image does not match its signed checksum: the reason the dashboard shows on top.
      statusDetails: { fail: { reason: 'checksum-mismatch', step: 'verify' } },
    },
  ],
};

/** Seeds the demo fleet; idempotent (things and groups that exist are kept). */
export function seedDemoFleet(stack: LocalStack, fleet: { size: number; seed: string }): SeedFleetSummary {
  return stack.fleet.seedFleet({ size: fleet.size, seed: fleet.seed });
}

/** Creates the `demo-ota` template unless it exists (a `--data-dir` kept it); true when it created it. */
export function ensureDemoTemplate(stack: LocalStack): boolean {
  const templates = stack.iot.registry.templates;
  if (templates.get(demoTemplateId)) return false;
  templates.create(demoTemplate);
  return true;
}

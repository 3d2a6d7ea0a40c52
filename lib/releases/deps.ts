/**
 * The release API's dependencies on AWS, for one request. The SDK clients
 * and adapters are built once per configuration (a Lambda cold start); the
 * release repository is a thin object over the shared client, built per
 * request so that its clock is the request's (see {@link requestMeta}).
 * Each member is built on first use: a function only needs the settings of
 * what it calls (a read-only route has no state machine ARN).
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { dynamoDbDocumentClient } from '../adapters/dynamodb-client.js';
import { jobExecutionReader } from '../adapters/iot-job-executions.js';
import { jobTemplateStore } from '../adapters/iot-job-templates.js';
import { waveJobs } from '../adapters/iot-jobs.js';
import { targetRegistry } from '../adapters/iot-registry.js';
import { thingGroups } from '../adapters/iot-thing-groups.js';
import { releaseExecutions } from '../adapters/release-executions.js';
import { ReleaseRepository } from '../adapters/release-repository.js';
import { config, requireSetting } from '../config.js';
import type { ReleaseStore } from '../domain/release-store.js';
import { logger } from '../logger.js';
import { measuredReleaseStore } from '../metrics/measured-release-store.js';
import type { PlanReleaseDeps } from './plan-release.js';
import type { ReleaseApiDeps, RequestMeta } from './ports.js';
import type { ExecutionReadDeps } from './wave-executions.js';

/**
 * Who asked (the IAM principal API Gateway verified, when there is one) and
 * the request's clock: API Gateway's request time, for every write the
 * request makes (events of one request keep their order by sequence). On
 * AWS that is the wall clock; on the local stack it is the virtual clock's,
 * so what the API records lines up with what the workflow (whose tasks use
 * the state's entry time) and the simulated fleet record.
 */
export function requestMeta(event: APIGatewayProxyEventV2): RequestMeta {
  const requestTime = event.requestContext?.timeEpoch ?? Date.now();
  const authorizer = (event.requestContext as { authorizer?: { iam?: { userArn?: unknown } } } | undefined)
    ?.authorizer;
  const userArn = authorizer?.iam?.userArn;
  return {
    now: () => requestTime,
    ...(typeof userArn === 'string' && userArn !== '' && { actor: userArn }),
    warn: (message, fields) => logger().warn(message, fields),
  };
}

/**
 * The release repository, on the request's clock, counting the releases it
 * makes and ends (measured-release-store.ts). @throws ConfigError when FLEETWAVE_TABLE is not set
 */
export function releaseStore(meta: RequestMeta): ReleaseStore {
  const c = config();
  const repository = new ReleaseRepository(dynamoDbDocumentClient(), {
    tableName: requireSetting(c, 'tableName'),
    clock: { now: meta.now },
    throttleRetryAfterSeconds: c.aws.throttleRetryAfterSeconds,
  });
  return measuredReleaseStore(repository);
}

/** Everything a release use case may call, each member built when first used. */
export function releaseApiDeps(meta: RequestMeta): ReleaseApiDeps {
  let store: ReleaseStore | undefined;
  return {
    get store() {
      store ??= releaseStore(meta);
      return store;
    },
    get executions() {
      return releaseExecutions();
    },
    get jobs() {
      return waveJobs();
    },
    get templates() {
      return jobTemplateStore();
    },
    get registry() {
      return targetRegistry();
    },
    get groups() {
      return thingGroups();
    },
  };
}

/** What a release plan reads: the release API's look-ups, and the members of thing groups. */
export function releasePlanDeps(meta: RequestMeta): PlanReleaseDeps {
  const api = releaseApiDeps(meta);
  return {
    get store() {
      return api.store;
    },
    get templates() {
      return api.templates;
    },
    get registry() {
      return api.registry;
    },
    get groups() {
      return thingGroups();
    },
  };
}

/** What the routes on a release's job executions read: the release, and its waves' IoT jobs. */
export function executionReadDeps(meta: RequestMeta): ExecutionReadDeps {
  return { store: releaseStore(meta), executions: jobExecutionReader() };
}

/**
 * The whole local stack in one process: the virtual clock, the emulated AWS
 * services on one loopback endpoint (IoT with the fleet simulator, DynamoDB,
 * Step Functions running the release workflow, EventBridge, SNS), and the
 * HTTP API running the real handlers. `npm start` and the tests both start
 * it through {@link startLocalStack}, so what a test exercises is what a
 * person runs.
 *
 * The handlers reach the emulators exactly as they reach AWS: through the
 * SDK's standard endpoint variables, which this module sets (with dummy
 * credentials, the region, and the resource names `serverless.yml` would
 * give them) before any handler reads its configuration. Those variables
 * are process-wide, so one process runs one stack at a time.
 */
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { resetConfig } from '../lib/config.js';
import { setEmfOutput } from '../lib/metrics/invocation-metrics.js';
import { closeServer, listen } from './aws-endpoint/listen.js';
import { createAwsEndpoint } from './aws-endpoint/router.js';
import { VirtualClock } from './clock/virtual-clock.js';
import {
  createDynamoDbService,
  type DynamoDbService,
  ensureTables,
  type LocalTables,
} from './dynamodb/index.js';
import {
  createEventBridgeService,
  type EventBridgeService,
  eventBridgeAdminRoutes,
  functionRulesOf,
  subscribeFunctionRules,
} from './eventbridge/index.js';
import { createFilesService, type FilesService } from './files/files-service.js';
import { type AttachedFleet, attachFleetSimulator } from './fleet/attach-fleet.js';
import type { BehaviourProfiles } from './fleet/behaviour-profile.js';
import type { SeedFleetOptions, SeedFleetSummary } from './fleet/seed-fleet.js';
import { buildLambdaContext } from './http-api/event.js';
import { type HttpApi, startHttpApi } from './http-api/server.js';
import { sigV4SettingsOf } from './http-api/sigv4-auth.js';
import { createIotEmulator, type IotEmulator, type IotLimits } from './iot/index.js';
import { metricsAdminRoute } from './metrics/admin-routes.js';
import { EmfRecorder } from './metrics/emf-recorder.js';
import { type MqttBroker, startMqttBroker } from './mqtt/mqtt-broker.js';
import { functionLimits, functionNameOf, projectRoot, readServerlessYml } from './serverless-yml.js';
import {
  createSnsService,
  createStackTopics,
  type SnsService,
  snsAdminRoutes,
  topicResourcesOf,
} from './sns/index.js';
import { createStepFunctionsEmulator, type StepFunctionsEmulator } from './stepfunctions/index.js';
import { createLocalWorkflow, type LocalWorkflow, trackTimers } from './workflow/index.js';
import { type JobEventRules, routeJobEvents } from './workflow/job-event-rules.js';

/** The stage the local stack names its functions, tables and machines after. */
const LOCAL_STAGE = 'local';

export interface LocalStackOptions {
  /** Port of the AWS endpoint; 0 (default) picks a free one. */
  awsPort?: number;
  /** Port of the HTTP API; 0 (default) picks a free one. */
  apiPort?: number;
  /** Interface to bind; loopback only. */
  host?: '127.0.0.1';
  /** The clock every emulator reads; a manual-mode clock by default (tests advance it). */
  clock?: VirtualClock;
  region?: string;
  accountId?: string;
  /** Handlers' log level (`POWERTOOLS_LOG_LEVEL`); WARN by default to keep test output quiet. */
  logLevel?: string;
  /** A directory for DynamoDB's on-disk store and uploaded files, kept across restarts; in memory when absent. */
  dataDir?: string;
  /**
   * Seeds a simulated fleet (`planFleet`: region and hardware groups under
   * one root group `fleet`, and a `canary-bad` cohort) into the IoT
   * registry at start. No things when absent.
   */
  fleet?: Omit<SeedFleetOptions, 'seed'> & { seed?: string | number };
  /** Seed of the simulated devices' fates (and of the fleet plan by default); `fleetwave` by default. */
  fleetSeed?: string | number;
  /** Device behaviour profiles; the simulator's defaults when absent. */
  profiles?: BehaviourProfiles;
  /** IoT service limits (e.g. `requestsPerSecond` to throttle like AWS). */
  iotLimits?: Partial<IotLimits>;
  /**
   * fleetwave's IoT call budget: calls per second to each IoT jobs API
   * (`FLEETWAVE_IOT_CALLS_PER_SECOND`, as deployed; `off` for none); the deployed default when absent.
   */
  iotCallsPerSecond?: number | 'off';
  /**
   * The MQTT broker's plain TCP port: a number is listened on, 0 meaning a
   * free port (what tests use); `false` (the default) runs no plain listener.
   */
  mqttPort?: number | false;
  /** The broker's mutual-TLS port, as {@link mqttPort}: clients present a certificate the local IoT issued. */
  mqttsPort?: number | false;
  /** Randomness of Step Functions retry jitter (a fixed function makes runs repeat exactly). */
  random?: () => number;
}

export interface LocalStack {
  /** `http://127.0.0.1:<port>`: point any AWS SDK or the AWS CLI here (`--endpoint-url`). */
  readonly awsUrl: string;
  /** `http://127.0.0.1:<port>`: the fleetwave REST API. */
  readonly apiUrl: string;
  readonly clock: VirtualClock;
  readonly iot: IotEmulator;
  readonly region: string;
  readonly accountId: string;
  /** The Step Functions endpoint (`getExecutionStats`, `whenExecutionClosed`, ...). */
  readonly sfn: StepFunctionsEmulator;
  /** The release state machine (`ReleaseStateMachine` of `serverless.yml`). */
  readonly stateMachineArn: string;
  readonly dynamodb: {
    readonly service: DynamoDbService;
    /** The local name of `FleetwaveTable` (`FLEETWAVE_TABLE`). */
    readonly tableName: string;
    /** Every table, by logical id. */
    readonly tables: LocalTables;
  };
  /** The fleet simulator moving the IoT endpoint's job executions. */
  readonly fleet: AttachedFleet;
  /** Files uploaded for devices, served through the presigned URLs job documents carry. */
  readonly files: FilesService;
  /** What `options.fleet` seeded, if anything. */
  readonly seededFleet?: SeedFleetSummary;
  readonly eventBridge: EventBridgeService;
  readonly sns: SnsService;
  /** The workflow's task handlers, the manual-clock driver and DynamoDB fault injection. */
  readonly workflow: LocalWorkflow;
  /** The MQTT broker's addresses (`mqtt://` plain, `mqtts://` mutual TLS), each absent when off. */
  readonly mqtt: { readonly url?: string; readonly tlsUrl?: string };
  /** IoT job events routed to the `iotJobEvents` function as its topic rules do (`drop` loses some). */
  readonly jobEvents: JobEventRules;
  /** The EMF lines the handlers wrote (`GET /_fleetwave/metrics`), kept instead of printed. */
  readonly metrics: EmfRecorder;
  /** Stops everything, restores the environment; safe to call twice. */
  close(): Promise<void>;
}

/** Dummy credentials: the local endpoints accept any signature. */
const localCredentials = { AWS_ACCESS_KEY_ID: 'AKIDLOCALFLEETWAVE', AWS_SECRET_ACCESS_KEY: 'local-secret' };

let running = false;

/** Resolves once `idle()` holds, or after `timeoutMs` of wall time (closing must not hang). */
async function drained(idle: () => boolean, timeoutMs = 10_000): Promise<void> {
  const giveUp = Date.now() + timeoutMs;
  while (!idle() && Date.now() < giveUp) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Sets `vars` in `process.env`; returns the function that puts the previous values back. */
function setEnv(vars: Record<string, string | undefined>): () => void {
  const previous = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  return () => apply(previous);
}

/** Starts the local stack; resolves once every listener is up. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  if (running) throw new Error('A local stack is already running in this process; close it first.');
  running = true;
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const clock = options.clock ?? new VirtualClock({ mode: { kind: 'manual' } });
  const location = { clock, region, accountId };
  const yml = await readServerlessYml(projectRoot);

  const iot = createIotEmulator({
    ...location,
    ...(options.iotLimits && { limits: options.iotLimits }),
    ...(options.dataDir !== undefined && { certificatesDir: join(options.dataDir, 'certificates') }),
  });
  const fleetSeed = options.fleetSeed ?? 'fleetwave';
  const fleet = attachFleetSimulator(iot, {
    clock,
    seed: fleetSeed,
    ...(options.profiles && { profiles: options.profiles }),
  });
  const dynamodbService = createDynamoDbService(
    options.dataDir === undefined ? {} : { path: options.dataDir },
  );
  const timers = trackTimers(clock);
  const sfn = createStepFunctionsEmulator({
    clock: timers,
    region,
    accountId,
    ...(options.random && { random: options.random }),
  });
  const eventBridge = createEventBridgeService(location);
  // The handlers' metrics, which on Lambda go to stdout for CloudWatch, are kept and served here.
  const metrics = new EmfRecorder(() => clock.now());
  iot.addAdminRoute(...metricsAdminRoute(metrics));
  let recordingEmf = true;
  const recordEmf = (line: string) => {
    if (recordingEmf) metrics.record(line);
  };
  const sns = createSnsService(location);
  // What the local EventBridge and SNS saw, readable on the AWS endpoint (`/_fleetwave/events`, `/_fleetwave/sns/...`).
  for (const route of [...eventBridgeAdminRoutes(eventBridge), ...snsAdminRoutes(sns)])
    iot.addAdminRoute(...route);
  const workflow = createLocalWorkflow({
    sfn,
    timers,
    clock,
    yml,
    root: projectRoot,
    naming: { region, accountId, stage: LOCAL_STAGE },
  });
  const stateMachineArn = workflow.stateMachineArns.get('ReleaseStateMachine');
  const files = createFilesService({
    clock,
    ...(options.dataDir !== undefined && { dataDir: options.dataDir }),
  });
  const aws = createAwsEndpoint([
    iot,
    iot.jobsDataPlane,
    files,
    workflow.dynamoDbFaults.wrap(dynamodbService),
    workflow.stepFunctionsFaults.wrap(sfn),
    eventBridge,
    sns,
  ]);

  let restoreEnv: (() => void) | undefined;
  let api: HttpApi | undefined;
  let dynamoClient: DynamoDBClient | undefined;
  let jobEvents: JobEventRules | undefined;
  let broker: MqttBroker | undefined;
  const close = async () => {
    jobEvents?.close();
    // Devices stop first: nothing they send may reach a store that is closing.
    await broker?.close();
    clock.stop();
    // No state runs after this; task handlers already running finish their I/O first, and so
    // does every table request, or dynalite would meet a closed store.
    await sfn.close();
    await drained(() => workflow.tasks.inFlight === 0);
    fleet.close();
    dynamoClient?.destroy();
    await Promise.all([api?.close(), drained(() => workflow.dynamoDbFaults.inFlight === 0)]);
    await closeServer(aws);
    await dynamodbService.close();
    restoreEnv?.();
    // The metrics output stays this stack's sink, now dropping: a handler still finishing (a
    // request the API was answering, a task past its timeout) writes its lines nowhere, never
    // to the host's stdout. The next stack sets its own.
    recordingEmf = false;
    resetConfig();
    running = false;
  };
  try {
    if (!stateMachineArn) throw new Error('serverless.yml declares no ReleaseStateMachine');
    const awsPort = await listen(aws, options.awsPort ?? 0, host);
    const awsUrl = `http://${host}:${awsPort}`;
    iot.setEndpoint('iot:Jobs', { host, port: awsPort });
    // Devices get a job document's presigned-URL placeholders as URLs of this endpoint.
    iot.deviceJobs.setDocumentRenderer(files.documentRenderer(awsUrl));
    dynamoClient = new DynamoDBClient({
      endpoint: awsUrl,
      region,
      credentials: { accessKeyId: localCredentials.AWS_ACCESS_KEY_ID, secretAccessKey: 'local-secret' },
    });
    const tables = await ensureTables(dynamoClient, { serverless: yml });
    const tableName = tables.FleetwaveTable;
    if (!tableName) throw new Error('serverless.yml declares no FleetwaveTable');
    const topics = createStackTopics(sns, topicResourcesOf(yml, LOCAL_STAGE, region));
    const notificationTopicArn = topics.get('NotificationTopic');
    if (!notificationTopicArn) throw new Error('serverless.yml declares no NotificationTopic');
    // FLEETWAVE_LOCAL_AUTH=sigv4 checks signatures against the key pair the stack was started with
    // (the local pair when none was set): read it before the handlers' dummy pair replaces it.
    const startedWith = {
      ...localCredentials,
      ...(process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY
        ? {
            AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID,
            AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY,
          }
        : {}),
    };
    const sigV4 = () =>
      sigV4SettingsOf(
        {
          FLEETWAVE_LOCAL_AUTH: process.env.FLEETWAVE_LOCAL_AUTH,
          FLEETWAVE_LOCAL_SIGV4_KEYS: process.env.FLEETWAVE_LOCAL_SIGV4_KEYS,
          ...startedWith,
        },
        region,
      );
    sigV4();
    restoreEnv = setEnv({
      AWS_ENDPOINT_URL: awsUrl,
      AWS_ENDPOINT_URL_IOT: awsUrl,
      AWS_ENDPOINT_URL_IOT_JOBS_DATA_PLANE: awsUrl,
      AWS_ENDPOINT_URL_DYNAMODB: awsUrl,
      AWS_ENDPOINT_URL_SFN: awsUrl,
      AWS_ENDPOINT_URL_EVENTBRIDGE: awsUrl,
      AWS_ENDPOINT_URL_SNS: awsUrl,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      ...localCredentials,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'WARN',
      FLEETWAVE_STAGE: LOCAL_STAGE,
      FLEETWAVE_TABLE: tableName,
      FLEETWAVE_RELEASE_STATE_MACHINE_ARN: stateMachineArn,
      FLEETWAVE_EVENT_BUS_NAME: 'default',
      FLEETWAVE_NOTIFICATION_TOPIC_ARN: notificationTopicArn,
      // The IoT call budget reads the virtual time events carry: the wall clock is far from it here.
      FLEETWAVE_IOT_BUDGET_CLOCK: 'event',
      // Unless told, the budget is whatever the environment says (as on AWS), else its default.
      ...(options.iotCallsPerSecond !== undefined && {
        FLEETWAVE_IOT_CALLS_PER_SECOND: String(options.iotCallsPerSecond),
      }),
    });
    // Handlers read their configuration (and build SDK clients) on first use: make that use see these values.
    resetConfig();
    setEmfOutput(recordEmf);
    // A fresh context per invocation, as Lambda gives (its remaining time counts from now).
    const contextFor = (functionKey: string) =>
      buildLambdaContext({
        functionName: functionNameOf(yml, LOCAL_STAGE, functionKey),
        region,
        accountId,
        ...functionLimits(yml, functionKey),
      });
    subscribeFunctionRules(eventBridge, functionRulesOf(yml, LOCAL_STAGE, region), async (rule, event) =>
      workflow.tasks.handlerFor(rule.handler)(event, contextFor(rule.functionKey)),
    );
    const jobEventsFn = yml.functions?.iotJobEvents;
    if (!jobEventsFn) throw new Error('serverless.yml declares no iotJobEvents function');
    const jobEventsHandler = workflow.tasks.handlerFor(jobEventsFn.handler);
    jobEvents = routeJobEvents(iot.events, clock, (event) =>
      jobEventsHandler(event, contextFor('iotJobEvents')),
    );
    const seededFleet = options.fleet ? fleet.seedFleet(options.fleet) : undefined;
    api = await startHttpApi({
      port: options.apiPort ?? 0,
      host,
      clock,
      region,
      accountId,
      yml,
      sigV4,
      // The dashboard at `/`, reading the admin routes of this stack's AWS endpoint through the API's port.
      dashboard: { root: projectRoot, awsEndpointUrl: awsUrl },
    });
    // The mutual-TLS port needs the root CA (made, or read from the data directory) before it listens;
    // without it the CA is made on its first use (`/_fleetwave/ca.pem`, CreateKeysAndCertificate).
    if (options.mqttsPort !== undefined && options.mqttsPort !== false) await iot.certificates.ready();
    broker = await startMqttBroker({
      deviceJobs: iot.deviceJobs,
      events: iot.events,
      clock,
      host,
      port: options.mqttPort ?? false,
      tlsPort: options.mqttsPort ?? false,
      certificates: iot.certificates,
    });
    // DescribeEndpoint iot:Data-ATS answers the broker's mutual-TLS address, as AWS answers its own.
    if (broker.tlsPort !== undefined) iot.setEndpoint('iot:Data-ATS', { host, port: broker.tlsPort });
    clock.start();
    let closed: Promise<void> | undefined;
    return {
      awsUrl,
      apiUrl: api.url,
      clock,
      iot,
      region,
      accountId,
      sfn,
      stateMachineArn,
      dynamodb: { service: dynamodbService, tableName, tables },
      fleet,
      files,
      ...(seededFleet && { seededFleet }),
      eventBridge,
      sns,
      workflow,
      jobEvents,
      metrics,
      mqtt: {
        ...(broker.port !== undefined && { url: `mqtt://${host}:${broker.port}` }),
        ...(broker.tlsPort !== undefined && { tlsUrl: `mqtts://${host}:${broker.tlsPort}` }),
      },
      close: () => {
        closed ??= close();
        return closed;
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

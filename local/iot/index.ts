/**
 * The local AWS IoT control-plane endpoint: job templates, jobs, job
 * executions, things and thing groups over REST-JSON, with the real paths,
 * shapes, validation and errors, so the AWS SDK and the AWS CLI talk to it as
 * to AWS. Mount it on the shared endpoint (`createAwsEndpoint([iot])`).
 *
 * Executions stay where the API leaves them: the fleet simulator moves them
 * through {@link IotEmulator.jobs} (the {@link JobServicePort}).
 */

import type { AwsService } from '../aws-endpoint/router.js';
import type { SchedulingClock } from '../clock/clock.js';
import { ArnFactory } from './arn.js';
import { addCaRoute } from './certificates/ca-route.js';
import { CertificateStore } from './certificates/certificate-store.js';
import { type DeviceCertificates, LocalCertificates } from './certificates/device-certificates.js';
import { createJobsDataPlane, type JobsDataPlane } from './data-plane/index.js';
import { DeviceJobs } from './device-jobs/device-jobs.js';
import {
  type EndpointAddress,
  EndpointAddresses,
  type LocalEndpointType,
} from './endpoints/endpoint-addresses.js';
import { InMemoryJobEventBus, type JobEventBus } from './events/job-event-bus.js';
import { FaultInjector } from './faults/fault-injector.js';
import { addFaultRoutes } from './faults/fault-routes.js';
import { type AdminHandler, AdminRoutes } from './http/admin-routes.js';
import { IotRequestHandler } from './http/iot-request-handler.js';
import { OperationThrottle } from './http/operation-throttle.js';
import { JobStore } from './jobs/job-store.js';
import { defaultIotLimits, type IotLimits } from './limits.js';
import { iotOperations } from './operations/index.js';
import { JobTemplateStore } from './registry/template-store.js';
import { ThingRegistry } from './registry/thing-registry.js';

export type { CertificateCheck, DeviceCertificates } from './certificates/device-certificates.js';
export { type IotErrorName, iotErrorNames, iotErrorStatus } from './errors.js';
export type { JobEventBus } from './events/job-event-bus.js';
export type { AdminHandler, AdminRequest, AdminResponse } from './http/admin-routes.js';
export type { ExecutionRecord } from './jobs/job-records.js';
export type { SavedJob } from './jobs/job-restore.js';

export type { IotLimits } from './limits.js';
export type { CreateJobTemplateInput } from './registry/template-store.js';

export { ThingRegistry } from './registry/thing-registry.js';

export interface IotEmulatorOptions {
  /** The local stack's virtual clock: every time the endpoint reports comes from it. */
  clock: SchedulingClock;
  /** Default `us-east-1`. */
  region?: string;
  /** Default `000000000000`. */
  accountId?: string;
  /** Service limits; AWS's defaults for whatever is absent. */
  limits?: Partial<IotLimits>;
  /**
   * Where the local root CA and the certificates the IoT issued are kept
   * (`<data-dir>/certificates`), so a restart keeps both; in memory when absent.
   */
  certificatesDir?: string;
}

/** The registry, typed, for seeding from code (no HTTP, no validation: the caller is trusted). */
interface IotRegistry {
  /** Things, thing groups and membership. */
  readonly things: ThingRegistry;
  /** Job templates. */
  readonly templates: JobTemplateStore;
}

export interface IotEmulator extends AwsService {
  readonly signingName: 'iot';
  readonly otherSigningNames: readonly ['execute-api'];
  readonly pathPrefixes: readonly ['/_fleetwave/'];
  readonly region: string;
  readonly accountId: string;
  /** Jobs and executions, as the fleet simulator sees and moves them. */
  readonly jobs: JobStore;
  /** The `$aws/events/job/...` and `$aws/events/jobExecution/...` events. */
  readonly events: JobEventBus;
  /** The device side of the jobs (the HTTPS jobs data plane and the MQTT jobs topics serve it). */
  readonly deviceJobs: DeviceJobs;
  /** The HTTPS jobs data plane over {@link deviceJobs}: mount it on the endpoint beside this service. */
  readonly jobsDataPlane: JobsDataPlane;
  /** Makes operations fail on purpose (also at `/_fleetwave/faults`). */
  readonly faults: FaultInjector;
  readonly registry: IotRegistry;
  /**
   * Device certificates: the local root CA (also at `GET /_fleetwave/ca.pem`),
   * the MQTT broker's server certificate and the check of a client certificate.
   * Await `certificates.ready()` before reading the PEMs.
   */
  readonly certificates: DeviceCertificates;
  /**
   * Tells DescribeEndpoint where an endpoint listens, once it does (the
   * MQTT broker over TLS for `iot:Data-ATS`, the shared AWS endpoint for
   * `iot:Jobs`); undefined when it stops or is off.
   */
  setEndpoint(type: LocalEndpointType, address: EndpointAddress | undefined): void;
  /** Registers an extra admin route under `/_fleetwave/` (e.g. `POST /_fleetwave/fleet/seed`). */
  addAdminRoute(method: string, path: string, handler: AdminHandler): void;
}

export function createIotEmulator(options: IotEmulatorOptions): IotEmulator {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const limits: IotLimits = { ...defaultIotLimits, ...options.limits };
  const arns = new ArnFactory(region, accountId);
  const bus = new InMemoryJobEventBus();
  const things = new ThingRegistry(arns, options.clock);
  const templates = new JobTemplateStore(arns, options.clock);
  const jobs = new JobStore(options.clock, arns, things, bus, limits);
  const faults = new FaultInjector();
  const certificates = new LocalCertificates(
    new CertificateStore(arns, options.clock, options.certificatesDir),
    options.certificatesDir,
  );
  const endpoints = new EndpointAddresses();
  const admin = new AdminRoutes();
  addFaultRoutes(admin, faults);
  addCaRoute(admin, certificates);
  const handler = new IotRequestHandler({
    operations: iotOperations,
    ctx: { clock: options.clock, arns, jobs, things, templates, certificates, endpoints },
    faults,
    admin,
    throttle: new OperationThrottle(options.clock, limits.requestsPerSecond),
  });
  const deviceJobs = new DeviceJobs(jobs, things, options.clock);
  const jobsDataPlane = createJobsDataPlane({
    devices: deviceJobs,
    clock: options.clock,
    faults,
    ...(limits.jobsDataRequestsPerSecond !== undefined && {
      requestsPerSecond: limits.jobsDataRequestsPerSecond,
    }),
  });
  return {
    signingName: 'iot',
    // The AWS CLI signs the IoT control plane as `execute-api`.
    otherSigningNames: ['execute-api'],
    pathPrefixes: ['/_fleetwave/'],
    region,
    accountId,
    jobs,
    deviceJobs,
    jobsDataPlane,
    events: bus,
    faults,
    registry: { things, templates },
    certificates,
    setEndpoint: (type, address) => endpoints.set(type, address),
    addAdminRoute: (method, path, routeHandler) => admin.add(method, path, routeHandler),
    handle: (req, res) => handler.handle(req, res),
  };
}

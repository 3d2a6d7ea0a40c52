/**
 * The AWS IoT jobs data plane over HTTPS (`@aws-sdk/client-iot-jobs-data-plane`,
 * `aws iot-jobs-data`): a device's GetPendingJobExecutions,
 * StartNextPendingJobExecution, DescribeJobExecution and UpdateJobExecution,
 * on the shared AWS endpoint under the signing name `iot-jobs-data`. It is a
 * transport over the device side of the job store ({@link DeviceJobs}), so
 * what it moves is what the control plane, the MQTT jobs topics and the fleet
 * simulator see. Its DescribeJobExecution has the control plane's path: the
 * two are told apart by the signing name alone, hence a service of its own.
 */
import type { AwsService } from '../../aws-endpoint/router.js';
import type { Clock } from '../../clock/clock.js';
import type { DeviceJobs } from '../device-jobs/device-jobs.js';
import type { FaultInjector } from '../faults/fault-injector.js';
import { IotRequestHandler } from '../http/iot-request-handler.js';
import { OperationThrottle } from '../http/operation-throttle.js';
import type { DataPlaneContext } from './data-plane-context.js';
import { dataPlaneWireError } from './data-plane-errors.js';
import { dataPlaneOperations } from './operations/index.js';

export interface JobsDataPlaneOptions {
  devices: DeviceJobs;
  clock: Clock;
  /** The control plane's fault injector: a fault names a data-plane operation as the SDK command does. */
  faults: FaultInjector;
  /** Calls per second each operation takes on the virtual clock; never throttled when undefined. */
  requestsPerSecond?: number;
}

export interface JobsDataPlane extends AwsService {
  readonly signingName: 'iot-jobs-data';
}

export function createJobsDataPlane(options: JobsDataPlaneOptions): JobsDataPlane {
  const handler = new IotRequestHandler<DataPlaneContext>({
    operations: dataPlaneOperations,
    ctx: { devices: options.devices },
    faults: options.faults,
    throttle: new OperationThrottle(options.clock, options.requestsPerSecond),
    wireError: dataPlaneWireError,
  });
  return {
    signingName: 'iot-jobs-data',
    handle: (req, res) => handler.handle(req, res),
  };
}

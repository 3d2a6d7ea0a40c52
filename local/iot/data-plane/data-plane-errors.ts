/**
 * How the data plane's refusals leave: a {@link DeviceJobsError} with its own
 * status, and the errors the shared machinery raises (validation, injected
 * faults, the throttle) with the data plane's status for their name, e.g.
 * ThrottlingException as 429 where the control plane answers 400.
 */
import { DeviceJobsError, deviceJobsErrorStatus } from '../device-jobs/device-job-errors.js';
import { IotError } from '../errors.js';
import type { WireError } from '../http/iot-request-handler.js';

const isDataPlaneName = (name: string): name is keyof typeof deviceJobsErrorStatus =>
  Object.hasOwn(deviceJobsErrorStatus, name);

/** The wire form of an error the data plane knows; undefined for anything else (an internal failure). */
export function dataPlaneWireError(error: unknown): WireError | undefined {
  if (error instanceof DeviceJobsError) {
    return { name: error.name, status: error.status, body: () => ({ message: error.message }) };
  }
  if (error instanceof IotError && isDataPlaneName(error.name)) {
    return { name: error.name, status: deviceJobsErrorStatus[error.name], body: () => error.body() };
  }
  return undefined;
}

/** What every operation of the jobs data plane is given. */
import type { DeviceJobs } from '../device-jobs/device-jobs.js';

export interface DataPlaneContext {
  /** The device side of the job store, shared with the MQTT jobs topics and the simulator. */
  readonly devices: DeviceJobs;
}

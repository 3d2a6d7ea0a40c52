/**
 * The errors of the device side of AWS IoT Jobs, by their wire names, with
 * the HTTPS status the jobs data plane answers them with. The MQTT jobs
 * topics answer the same refusals on `/rejected` with their own codes
 * (`mqttErrorCode`).
 */

/** HTTPS status per error name: the `@aws-sdk/client-iot-jobs-data-plane` model's. */
export const deviceJobsErrorStatus = {
  InvalidRequestException: 400,
  ResourceNotFoundException: 404,
  InvalidStateTransitionException: 409,
  // Not in the data plane's model (the SDK surfaces it by name): the control plane's 409 for a version mismatch.
  VersionConflictException: 409,
  TerminalStateException: 410,
  ThrottlingException: 429,
} as const;

export type DeviceJobsErrorName = keyof typeof deviceJobsErrorStatus;

/** The `code` of an MQTT `/rejected` answer, per error (AWS's "Jobs device MQTT API" error codes). */
export const mqttErrorCode: Readonly<Record<DeviceJobsErrorName, string>> = {
  InvalidRequestException: 'InvalidRequest',
  ResourceNotFoundException: 'ResourceNotFound',
  InvalidStateTransitionException: 'InvalidStateTransition',
  VersionConflictException: 'VersionMismatch',
  TerminalStateException: 'TerminalStateReached',
  ThrottlingException: 'RequestThrottled',
};

/** A refusal of the device side; nothing changed. */
export class DeviceJobsError extends Error {
  override readonly name: DeviceJobsErrorName;
  readonly status: number;

  constructor(
    name: DeviceJobsErrorName,
    message: string,
    /** The execution's state, for refusals AWS answers with it (a version mismatch, a bad transition). */
    readonly executionState?: DeviceExecutionStateView,
  ) {
    super(message);
    this.name = name;
    this.status = deviceJobsErrorStatus[name];
  }
}

/** `JobExecutionState`: what an update answers, and what some refusals carry. */
export interface DeviceExecutionStateView {
  status: string;
  statusDetails?: Record<string, string>;
  versionNumber: number;
}

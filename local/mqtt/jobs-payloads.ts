/**
 * The JSON the MQTT jobs topics answer, field for field as AWS's device SDK
 * (`aws-iot-device-sdk-v2` `iotjobs` model) reads it: every time in epoch
 * seconds, a `timestamp` on every message, and the job document as a JSON
 * value rather than the string the HTTPS data plane answers.
 */
import type { DeviceExecutionStateView } from '../iot/device-jobs/device-job-errors.js';
import type { DeviceExecution, DeviceExecutionSummary } from '../iot/device-jobs/device-jobs.js';

/** Epoch ms to the whole epoch seconds AWS writes on MQTT. */
export const seconds = (ms: number): number => Math.floor(ms / 1000);

/**
 * A job document as a JSON value. AWS only takes JSON documents; a document
 * the local control plane kept that is not JSON is sent as a JSON string
 * rather than dropped, so the device still sees what was stored.
 */
export function documentValue(document: string): unknown {
  try {
    return JSON.parse(document) as unknown;
  } catch {
    return document;
  }
}

/** The times (epoch seconds) and counters an execution and its summary share. */
function timesAndVersions(summary: DeviceExecutionSummary): object {
  return {
    queuedAt: seconds(summary.queuedAt),
    ...(summary.startedAt !== undefined && { startedAt: seconds(summary.startedAt) }),
    lastUpdatedAt: seconds(summary.lastUpdatedAt),
    versionNumber: summary.versionNumber,
    executionNumber: summary.executionNumber,
  };
}

/** `JobExecutionSummary`, as `get/accepted` and `notify` list it. */
export function summaryPayload(summary: DeviceExecutionSummary): object {
  return { jobId: summary.jobId, ...timesAndVersions(summary) };
}

/** `JobExecutionData`, as `{jobId}/get`, `start-next` and `notify-next` carry it. */
export function executionPayload(execution: DeviceExecution): object {
  return {
    jobId: execution.jobId,
    thingName: execution.thingName,
    ...(execution.jobDocument !== undefined && { jobDocument: documentValue(execution.jobDocument) }),
    status: execution.status,
    ...(execution.statusDetails !== undefined && { statusDetails: execution.statusDetails }),
    ...timesAndVersions(execution),
  };
}

/** `JobExecutionState`, as `update/accepted` and some refusals carry it. */
export function statePayload(state: DeviceExecutionStateView): object {
  return {
    status: state.status,
    ...(state.statusDetails !== undefined && { statusDetails: state.statusDetails }),
    versionNumber: state.versionNumber,
  };
}

/** The codes of `/rejected` (`RejectedErrorCode`). */
type RejectedCode =
  | 'InvalidTopic'
  | 'InvalidJson'
  | 'InvalidRequest'
  | 'InvalidStateTransition'
  | 'ResourceNotFound'
  | 'VersionMismatch'
  | 'TerminalStateReached'
  | 'RequestThrottled'
  | 'InternalError';

/** What a `/rejected` answer says; `clientToken` is echoed when the request had a readable one. */
export interface Rejection {
  code: RejectedCode;
  message: string;
  executionState?: DeviceExecutionStateView;
}

/** The payload of a `/rejected` answer. */
export function rejectedPayload(rejection: Rejection, clientToken: string | undefined, now: number): object {
  return {
    code: rejection.code,
    message: rejection.message,
    ...(clientToken !== undefined && { clientToken }),
    timestamp: seconds(now),
    ...(rejection.executionState !== undefined && { executionState: statePayload(rejection.executionState) }),
  };
}

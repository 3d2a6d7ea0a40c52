/**
 * The data plane's wire shapes. Its model types every time as a `long` of
 * epoch seconds (not a REST-JSON timestamp), so times leave as whole seconds,
 * as AWS sends them; the store keeps epoch ms.
 */
import type { DeviceExecution, DeviceExecutionSummary } from '../device-jobs/device-jobs.js';

/** Epoch ms as the data plane's `long` epoch seconds; undefined stays undefined. */
function seconds(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.floor(ms / 1000);
}

/** `JobExecutionSummary` on the wire. */
export function summaryWire(summary: DeviceExecutionSummary): object {
  return {
    jobId: summary.jobId,
    queuedAt: seconds(summary.queuedAt),
    startedAt: seconds(summary.startedAt),
    lastUpdatedAt: seconds(summary.lastUpdatedAt),
    versionNumber: summary.versionNumber,
    executionNumber: summary.executionNumber,
  };
}

/** `JobExecution` on the wire; JSON drops the members left undefined. */
function executionWire(execution: DeviceExecution): object {
  return {
    ...summaryWire(execution),
    thingName: execution.thingName,
    status: execution.status,
    statusDetails: execution.statusDetails,
    approximateSecondsBeforeTimedOut: execution.approximateSecondsBeforeTimedOut,
    jobDocument: execution.jobDocument,
  };
}

/** `{ execution }`, or `{}` when there is none (`$next` with nothing pending). */
export function executionResponse(execution: DeviceExecution | undefined): object {
  return execution === undefined ? {} : { execution: executionWire(execution) };
}

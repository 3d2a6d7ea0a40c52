import type { Outcome } from './agent-options.js';
import { DownloadError, type Downloaded, type DownloadOptions } from './download.js';
import { JobDocumentError, readFirmwareDocument } from './job-document.js';
import { progressToReport, stepDetails } from './progress.js';

/** The statuses the agent sets on an execution (the device side of AWS IoT Jobs). */
type ReportedStatus = 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';

/**
 * How one job ended on this device: SUCCEEDED or FAILED as reported; STOPPED when
 * the agent was told to stop mid-job (the execution stays IN_PROGRESS on purpose,
 * so the service's timeout ends it); ABANDONED when the service refused an update
 * (the job was canceled, timed out or removed meanwhile).
 */
export type JobResult = 'SUCCEEDED' | 'FAILED' | 'STOPPED' | 'ABANDONED';

/** The outside world of one job, so the steps can run against fakes in tests. */
export interface JobRunnerPorts {
  update(jobId: string, status: ReportedStatus, statusDetails: Record<string, string>): Promise<void>;
  download(url: URL, options: DownloadOptions): Promise<Downloaded>;
  /** Resolves after `ms`, or rejects once `signal` aborts. */
  pause(ms: number, signal: AbortSignal): Promise<void>;
  log(line: string): void;
}

/** The job as start-next hands it over. */
export interface StartedJob {
  jobId: string;
  jobDocument?: unknown;
}

/** Marks the service refusing an update, as opposed to the device failing the job. */
class UpdateRefused extends Error {
  override readonly name = 'UpdateRefused';
}

/**
 * Runs one started job: reads its document, downloads and checks the firmware
 * with progress in statusDetails, waits `stepSeconds` for the install step, and
 * reports SUCCEEDED, or FAILED with a `reason`.
 */
export async function runJob(
  job: StartedJob,
  settings: { outcome: Outcome; stepSeconds: number },
  ports: JobRunnerPorts,
  signal: AbortSignal,
): Promise<JobResult> {
  const { jobId } = job;
  const update = async (status: ReportedStatus, details: Record<string, string>) => {
    try {
      await ports.update(jobId, status, details);
    } catch (error) {
      throw new UpdateRefused((error as Error).message);
    }
  };
  ports.log(`job ${jobId} IN_PROGRESS`);
  try {
    const firmware = readFirmwareDocument(job.jobDocument);
    let version = firmware.version;
    if (firmware.url !== undefined) {
      let reported = 0;
      await update('IN_PROGRESS', stepDetails('downloading', { progress: '0%' }));
      ports.log(`job ${jobId} downloading 0%`);
      const options: DownloadOptions = {
        signal,
        onProgress: async (received, total) => {
          const percent = progressToReport(received, total, reported);
          if (percent === undefined) return;
          reported = percent;
          ports.log(`job ${jobId} downloading ${percent}%`);
          await update('IN_PROGRESS', stepDetails('downloading', { progress: `${percent}%` }));
        },
      };
      if (firmware.size !== undefined) options.expectedSize = firmware.size;
      if (firmware.sha256 !== undefined) options.expectedSha256 = firmware.sha256;
      const got = await ports.download(firmware.url, options);
      ports.log(`job ${jobId} verified size=${got.size} sha256=${got.sha256}`);
      await update('IN_PROGRESS', stepDetails('verifying', { size: String(got.size), sha256: got.sha256 }));
      version ??= got.sha256.slice(0, 12);
    }
    ports.log(`job ${jobId} installing`);
    await update('IN_PROGRESS', stepDetails('installing'));
    if (settings.stepSeconds > 0) await ports.pause(settings.stepSeconds * 1000, signal);
    if (settings.outcome === 'fail') {
      return await fail(jobId, 'installing', 'install failed (--outcome fail)', update, ports);
    }
    await update('SUCCEEDED', stepDetails('done', version === undefined ? {} : { version }));
    ports.log(`job ${jobId} SUCCEEDED`);
    return 'SUCCEEDED';
  } catch (error) {
    if (signal.aborted) {
      ports.log(`job ${jobId} STOPPED left IN_PROGRESS`);
      return 'STOPPED';
    }
    if (error instanceof UpdateRefused) {
      ports.log(`job ${jobId} ABANDONED ${error.message}`);
      return 'ABANDONED';
    }
    if (error instanceof JobDocumentError) return fail(jobId, 'starting', error.message, update, ports);
    if (error instanceof DownloadError) return fail(jobId, 'downloading', error.message, update, ports);
    throw error;
  }
}

async function fail(
  jobId: string,
  step: 'starting' | 'downloading' | 'installing',
  reason: string,
  update: (status: ReportedStatus, details: Record<string, string>) => Promise<void>,
  ports: JobRunnerPorts,
): Promise<JobResult> {
  try {
    await update('FAILED', stepDetails(step, { reason }));
  } catch (error) {
    ports.log(`job ${jobId} ABANDONED ${(error as Error).message}`);
    return 'ABANDONED';
  }
  ports.log(`job ${jobId} FAILED ${reason}`);
  return 'FAILED';
}

import { describe, expect, it } from 'vitest';
import { DownloadError } from '../../../examples/device-agent/download.js';
import { type JobRunnerPorts, runJob } from '../../../examples/device-agent/job-runner.js';

const sha256 = 'ab'.repeat(32);
const firmware = { version: '2.0.0', url: 'http://127.0.0.1:4566/fw.bin', sha256, sizeBytes: 1000 };
const doc = { operation: 'ota-update', firmware };

type Update = [status: string, details: Record<string, string>];

/** Ports that record what the agent tells the service; the download reports half, then all. */
function fakePorts(
  init: { downloadFails?: string; refuseUpdate?: (u: Update) => boolean; onPause?: () => void } = {},
) {
  const updates: Update[] = [];
  const lines: string[] = [];
  const pauses: number[] = [];
  const downloads: { url: string; size?: number; sha256?: string }[] = [];
  const ports: JobRunnerPorts = {
    update: async (_jobId, status, details) => {
      if (init.refuseUpdate?.([status, details])) throw new Error('TerminalStateReached');
      updates.push([status, details]);
    },
    download: async (url, options) => {
      downloads.push({ url: url.href, size: options.expectedSize, sha256: options.expectedSha256 });
      await options.onProgress?.(500, 1000);
      if (init.downloadFails) throw new DownloadError(init.downloadFails);
      await options.onProgress?.(1000, 1000);
      return { size: 1000, sha256 };
    },
    pause: async (ms, signal) => {
      pauses.push(ms);
      init.onPause?.();
      if (signal.aborted) throw signal.reason;
    },
    log: (line) => lines.push(line),
  };
  return { ports, updates, lines, pauses, downloads };
}

const succeed = { outcome: 'succeed' as const, stepSeconds: 0 };
const live = () => new AbortController().signal;

describe("the device agent's job steps", () => {
  it('downloads and checks the document, reports each step, and succeeds with the version', async () => {
    const { ports, updates, lines, downloads } = fakePorts();
    const result = await runJob({ jobId: 'j1', jobDocument: doc }, succeed, ports, live());
    expect(result).toBe('SUCCEEDED');
    expect(downloads).toEqual([{ url: firmware.url, size: 1000, sha256 }]);
    expect(updates).toEqual([
      ['IN_PROGRESS', { step: 'downloading', progress: '0%' }],
      ['IN_PROGRESS', { step: 'downloading', progress: '50%' }],
      ['IN_PROGRESS', { step: 'downloading', progress: '100%' }],
      ['IN_PROGRESS', { step: 'verifying', size: '1000', sha256 }],
      ['IN_PROGRESS', { step: 'installing' }],
      ['SUCCEEDED', { step: 'done', version: '2.0.0' }],
    ]);
    expect(lines).toEqual([
      'job j1 IN_PROGRESS',
      'job j1 downloading 0%',
      'job j1 downloading 50%',
      'job j1 downloading 100%',
      `job j1 verified size=1000 sha256=${sha256}`,
      'job j1 installing',
      'job j1 SUCCEEDED',
    ]);
  });

  it('fails with the download error as reason, and does not install', async () => {
    const { ports, updates, lines } = fakePorts({ downloadFails: 'download failed: HTTP 404' });
    const result = await runJob({ jobId: 'j1', jobDocument: doc }, succeed, ports, live());
    expect(result).toBe('FAILED');
    expect(updates.at(-1)).toEqual(['FAILED', { step: 'downloading', reason: 'download failed: HTTP 404' }]);
    expect(updates.map(([, d]) => d.step)).not.toContain('installing');
    expect(lines.at(-1)).toBe('job j1 FAILED download failed: HTTP 404');
  });

  it('fails a document it cannot read before downloading anything', async () => {
    const { ports, updates, downloads } = fakePorts();
    const result = await runJob(
      { jobId: 'j1', jobDocument: { firmware: { url: 'ftp://x/fw' } } },
      succeed,
      ports,
      live(),
    );
    expect(result).toBe('FAILED');
    expect(downloads).toEqual([]);
    expect(updates).toEqual([
      ['FAILED', { step: 'starting', reason: 'firmware.url must be http or https, not ftp:' }],
    ]);
  });

  it('with --outcome fail, installs for --step-seconds and then fails with a reason', async () => {
    const { ports, updates, pauses } = fakePorts();
    const result = await runJob(
      { jobId: 'j1', jobDocument: { operation: 'reboot' } },
      { outcome: 'fail', stepSeconds: 3 },
      ports,
      live(),
    );
    expect(result).toBe('FAILED');
    expect(pauses).toEqual([3000]);
    expect(updates).toEqual([
      ['IN_PROGRESS', { step: 'installing' }],
      ['FAILED', { step: 'installing', reason: 'install failed (--outcome fail)' }],
    ]);
  });

  it('a job with nothing to download is installed and succeeds without a version', async () => {
    const { ports, updates } = fakePorts();
    expect(await runJob({ jobId: 'j1' }, succeed, ports, live())).toBe('SUCCEEDED');
    expect(updates).toEqual([
      ['IN_PROGRESS', { step: 'installing' }],
      ['SUCCEEDED', { step: 'done' }],
    ]);
  });

  it('stopped mid-job, leaves the execution IN_PROGRESS for the service to time out', async () => {
    const stop = new AbortController();
    const { ports, updates, lines } = fakePorts({ onPause: () => stop.abort() });
    const result = await runJob(
      { jobId: 'j1', jobDocument: doc },
      { ...succeed, stepSeconds: 60 },
      ports,
      stop.signal,
    );
    expect(result).toBe('STOPPED');
    expect(updates.at(-1)).toEqual(['IN_PROGRESS', { step: 'installing' }]);
    expect(updates.every(([status]) => status === 'IN_PROGRESS')).toBe(true);
    expect(lines.at(-1)).toBe('job j1 STOPPED left IN_PROGRESS');
  });

  it('abandons the job, sending nothing more, once the service refuses an update (canceled or timed out)', async () => {
    const { ports, updates, lines } = fakePorts({ refuseUpdate: ([, d]) => d.step === 'verifying' });
    const result = await runJob({ jobId: 'j1', jobDocument: doc }, succeed, ports, live());
    expect(result).toBe('ABANDONED');
    expect(updates.at(-1)).toEqual(['IN_PROGRESS', { step: 'downloading', progress: '100%' }]);
    expect(lines.at(-1)).toBe('job j1 ABANDONED TerminalStateReached');
  });

  it('abandons the job, not FAILED, when a progress update during the download is refused', async () => {
    const { ports, updates } = fakePorts({
      refuseUpdate: ([, d]) => d.step === 'downloading' && d.progress !== '0%',
    });
    const result = await runJob({ jobId: 'j1', jobDocument: doc }, succeed, ports, live());
    expect(result).toBe('ABANDONED');
    expect(updates.map(([status]) => status)).not.toContain('FAILED');
  });

  it('abandons the job when even the FAILED update is refused', async () => {
    const { ports, updates } = fakePorts({ refuseUpdate: ([status]) => status === 'FAILED' });
    const result = await runJob(
      { jobId: 'j1', jobDocument: { firmware: { sizeBytes: 5 } } },
      succeed,
      ports,
      live(),
    );
    expect(result).toBe('ABANDONED');
    expect(updates).toEqual([]);
  });
});

import { createHash } from 'node:crypto';

/** A download that failed or did not match its document; the message becomes the job's `reason`. */
export class DownloadError extends Error {
  override readonly name = 'DownloadError';
}

/** What to check and whom to tell while downloading. */
export interface DownloadOptions {
  expectedSize?: number;
  expectedSha256?: string;
  signal?: AbortSignal;
  /**
   * Called after each chunk with the bytes so far and the total when known; the
   * download waits for it, so progress updates go out one at a time and in order.
   */
  onProgress?: (received: number, total: number | undefined) => Promise<void>;
}

/** The checked download. */
export interface Downloaded {
  size: number;
  sha256: string;
}

/**
 * Downloads `url` and checks its size and SHA-256 against the document's. The
 * bytes are hashed and dropped: a real device writes them to its update
 * partition, and this agent only shows the protocol around that.
 */
export async function download(
  url: URL,
  options: DownloadOptions = {},
  fetchImpl: typeof fetch = fetch,
): Promise<Downloaded> {
  let response: Response;
  try {
    response = await fetchImpl(url, options.signal ? { signal: options.signal } : {});
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new DownloadError(`download failed: ${(error as Error).message}`);
  }
  if (!response.ok || response.body === null) {
    throw new DownloadError(`download failed: HTTP ${response.status}`);
  }
  const length = response.headers.get('content-length');
  const announced = length === null ? undefined : Number(length);
  if (options.expectedSize !== undefined && announced !== undefined && announced !== options.expectedSize) {
    throw new DownloadError(
      `size mismatch: expected ${options.expectedSize} bytes, server sends ${announced}`,
    );
  }
  const total = options.expectedSize ?? announced;
  const hash = createHash('sha256');
  let received = 0;
  const reader = response.body.getReader();
  // An error of the progress callback (a refused status update) is the caller's, not the download's.
  let inProgressCallback = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (options.expectedSize !== undefined && received > options.expectedSize) {
        throw new DownloadError(`size mismatch: more than the expected ${options.expectedSize} bytes`);
      }
      hash.update(value);
      inProgressCallback = true;
      await options.onProgress?.(received, total);
      inProgressCallback = false;
    }
  } catch (error) {
    // Stop the transfer rather than let the rest of the body arrive unread.
    await reader.cancel().catch(() => undefined);
    if (error instanceof DownloadError || inProgressCallback || options.signal?.aborted) throw error;
    throw new DownloadError(`download failed: ${(error as Error).message}`);
  } finally {
    reader.releaseLock();
  }
  if (options.expectedSize !== undefined && received !== options.expectedSize) {
    throw new DownloadError(`size mismatch: expected ${options.expectedSize} bytes, got ${received}`);
  }
  const sha256 = hash.digest('hex');
  if (options.expectedSha256 !== undefined && sha256 !== options.expectedSha256) {
    throw new DownloadError(`sha256 mismatch: expected ${options.expectedSha256}, got ${sha256}`);
  }
  return { size: received, sha256 };
}

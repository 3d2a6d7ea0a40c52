import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DownloadError, download } from '../../../examples/device-agent/download.js';

const firmware = Buffer.alloc(1000, 7);
const sha256 = createHash('sha256').update(firmware).digest('hex');
const url = new URL('http://127.0.0.1/fw.bin');

/** A fetch that answers from memory in `chunks` pieces, so no port is needed. */
function fakeFetch(body: Buffer, init: { status?: number; chunks?: number; contentLength?: boolean } = {}) {
  const calls: URL[] = [];
  const impl = (async (input: URL) => {
    calls.push(input);
    const chunks = init.chunks ?? 4;
    const size = Math.ceil(body.length / chunks);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < body.length; at += size) controller.enqueue(body.subarray(at, at + size));
        controller.close();
      },
    });
    const headers: Record<string, string> =
      init.contentLength === false ? {} : { 'content-length': `${body.length}` };
    return new Response(stream, { status: init.status ?? 200, headers });
  }) as typeof fetch;
  return { impl, calls };
}

describe("the device agent's download", () => {
  it('hashes what it receives and reports progress after each chunk, against the announced length', async () => {
    const { impl, calls } = fakeFetch(firmware);
    const seen: [number, number | undefined][] = [];
    const got = await download(
      url,
      { expectedSha256: sha256, onProgress: async (r, t) => void seen.push([r, t]) },
      impl,
    );
    expect(got).toEqual({ size: 1000, sha256 });
    expect(calls).toEqual([url]);
    expect(seen).toEqual([
      [250, 1000],
      [500, 1000],
      [750, 1000],
      [1000, 1000],
    ]);
  });

  it("uses the document's size as the total when the server does not announce one", async () => {
    const seen: (number | undefined)[] = [];
    await download(
      url,
      { expectedSize: 1000, onProgress: async (_r, t) => void seen.push(t) },
      fakeFetch(firmware, { contentLength: false }).impl,
    );
    expect(seen).toEqual([1000, 1000, 1000, 1000]);
  });

  it("passes the progress callback's own error on unchanged: a refused update is not a failed download", async () => {
    const refused = new Error('ThrottlingException: Rate exceeded');
    const error = await download(
      url,
      {
        onProgress: async (r) => {
          if (r === 500) throw refused;
        },
      },
      fakeFetch(firmware).impl,
    ).catch((e: unknown) => e);
    expect(error).toBe(refused);
    expect(error).not.toBeInstanceOf(DownloadError);
  });

  it('fails on a sha256 that does not match, naming both', async () => {
    const wrong = '0'.repeat(64);
    await expect(download(url, { expectedSha256: wrong }, fakeFetch(firmware).impl)).rejects.toThrow(
      new DownloadError(`sha256 mismatch: expected ${wrong}, got ${sha256}`),
    );
  });

  it('fails before reading when the announced length is not the expected size', async () => {
    await expect(download(url, { expectedSize: 999 }, fakeFetch(firmware).impl)).rejects.toThrow(
      'size mismatch: expected 999 bytes, server sends 1000',
    );
  });

  it('stops reading once the body is longer than the expected size', async () => {
    const seen: number[] = [];
    const failure = download(
      url,
      { expectedSize: 600, onProgress: async (r) => void seen.push(r) },
      fakeFetch(firmware, { contentLength: false }).impl,
    );
    await expect(failure).rejects.toThrow('size mismatch: more than the expected 600 bytes');
    expect(seen).toEqual([250, 500]);
  });

  it('fails on a short body', async () => {
    await expect(
      download(url, { expectedSize: 2000 }, fakeFetch(firmware, { contentLength: false }).impl),
    ).rejects.toThrow('size mismatch: expected 2000 bytes, got 1000');
  });

  it('fails on an HTTP error status', async () => {
    await expect(download(url, {}, fakeFetch(Buffer.from('no'), { status: 403 }).impl)).rejects.toThrow(
      new DownloadError('download failed: HTTP 403'),
    );
  });

  it('turns a network error into a DownloadError', async () => {
    const refused = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    await expect(download(url, {}, refused)).rejects.toThrow(
      new DownloadError('download failed: fetch failed'),
    );
  });

  it('passes an abort through as it is, so the caller can tell it from a failure', async () => {
    const stop = new AbortController();
    stop.abort();
    const aborting = (async (_u: URL, init?: RequestInit) => {
      throw init?.signal?.reason;
    }) as typeof fetch;
    const failure = download(url, { signal: stop.signal }, aborting);
    await expect(failure).rejects.not.toBeInstanceOf(DownloadError);
    await expect(failure).rejects.toHaveProperty('name', 'AbortError');
  });
});

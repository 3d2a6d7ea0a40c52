/**
 * Files for devices: uploaded through `PUT /_fleetwave/files/<bucket>/<key>`,
 * named in a job document by AWS IoT's presigned-URL placeholder, handed to
 * the device (over the HTTPS data plane, and to the MQTT topics through the
 * same device side) as a URL of the local stack, downloaded with `fetch`,
 * and refused as S3 refuses once expired (on the virtual clock) or altered.
 */

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StartNextPendingJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { afterEach, describe, expect, it } from 'vitest';
import { closeServer, listen } from '../../../local/aws-endpoint/listen.js';
import { createAwsEndpoint } from '../../../local/aws-endpoint/router.js';
import { VirtualClock } from '../../../local/clock/virtual-clock.js';
import { createFilesService, type FilesServiceOptions } from '../../../local/files/files-service.js';
import { second } from '../../support/fleet.js';
import { type DataPlaneEndpoint, startDataPlaneEndpoint } from './data-plane-endpoint.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const roleArn = 'arn:aws:iam::123456789012:role/iot-download';

/** AWS IoT's placeholder for `address` in a job document (`form`: `s3-presigned-url` or `s3-presigned-url-v2`). */
const placeholder = (address: string, form = 's3-presigned-url') => `\${aws:iot:${form}:${address}}`;

async function started(real = 1): Promise<DataPlaneEndpoint> {
  const ep = await startDataPlaneEndpoint(real);
  cleanups.push(() => ep.close());
  return ep;
}

function upload(baseUrl: string, bucket: string, key: string, body: Uint8Array): Promise<Response> {
  return fetch(`${baseUrl}/_fleetwave/files/${bucket}/${key}`, { method: 'PUT', body });
}

/** A request sent exactly as written (fetch would resolve `..` segments and always send a length). */
function rawRequest(
  url: string,
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method, path }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** The firmware URL of the job document a device receives from StartNextPendingJobExecution. */
async function firmwareUrlOf(ep: DataPlaneEndpoint, thingName = 'device-0'): Promise<string> {
  const { execution } = await ep.jobs.send(new StartNextPendingJobExecutionCommand({ thingName }));
  return (JSON.parse(execution?.jobDocument ?? '{}') as { url: string }).url;
}

/** A firmware image over the IoT service's 2 MiB request cap, which uploads are not held to. */
const image = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 31) % 251);

describe('presigned URLs', () => {
  it('upload, create a job with the placeholder, StartNext, fetch the URL, get the bytes; expired is 403', async () => {
    const ep = await started();
    const put = await upload(ep.url, 'firmware', 'v2/image.bin', image);
    expect(put.status).toBe(200);
    const listed = (await (await fetch(`${ep.url}/_fleetwave/files`)).json()) as { files: unknown[] };
    expect(listed.files).toEqual([
      {
        bucket: 'firmware',
        key: 'v2/image.bin',
        size: image.length,
        lastModified: '2026-01-01T00:00:00.000Z',
      },
    ]);
    await ep.createJob({
      document: JSON.stringify({
        url: placeholder('https://s3.amazonaws.com/firmware/v2/image.bin'),
      }),
      presignedUrlConfig: { roleArn, expiresInSec: 120 },
    });
    const url = await firmwareUrlOf(ep);
    expect(url.startsWith(`${ep.url}/_fleetwave/s3/firmware/v2/image.bin?`)).toBe(true);
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('120');
    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-length')).toBe(String(image.length));
    expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(image))).toBe(true);
    const head = await fetch(url, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length')]).toEqual([200, String(image.length)]);

    await ep.clock.advance(121 * second);
    const expired = await fetch(url);
    expect(expired.status).toBe(403);
    expect(expired.headers.get('content-type')).toBe('application/xml');
    const body = await expired.text();
    expect(body).toContain('<Code>AccessDenied</Code><Message>Request has expired</Message>');
  });

  it('an altered URL is SignatureDoesNotMatch, one without a signature AccessDenied, both 403', async () => {
    const ep = await started();
    await upload(ep.url, 'firmware', 'image.bin', image);
    await ep.createJob({
      document: JSON.stringify({ url: placeholder('https://s3.amazonaws.com/firmware/image.bin') }),
      presignedUrlConfig: { roleArn, expiresInSec: 60 },
    });
    const url = new URL(await firmwareUrlOf(ep));
    url.searchParams.set('X-Amz-Expires', '3600');
    const tampered = await fetch(url);
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    const unsigned = await fetch(`${ep.url}/_fleetwave/s3/firmware/image.bin`);
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain('<Code>AccessDenied</Code><Message>Access Denied</Message>');
  });

  it('a file never uploaded is 404 NoSuchKey', async () => {
    const ep = await started();
    await ep.createJob({
      document: JSON.stringify({ url: placeholder('https://s3.amazonaws.com/firmware/missing.bin') }),
      presignedUrlConfig: { roleArn },
    });
    const url = await firmwareUrlOf(ep);
    // AWS's default validity when the job gives none.
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('3600');
    const missing = await fetch(url);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('<Code>NoSuchKey</Code>');
  });

  it('every placeholder form becomes a URL, for the data plane and for notify-next alike', async () => {
    const ep = await started();
    await upload(ep.url, 'firmware', 'a.bin', new Uint8Array([1]));
    const forms = [
      placeholder('https://s3.amazonaws.com/firmware/a.bin'),
      placeholder('https://s3.eu-west-1.amazonaws.com/firmware/a.bin', 's3-presigned-url-v2'),
      placeholder('https://firmware.s3.amazonaws.com/a.bin'),
      placeholder('https://firmware.s3.us-east-1.amazonaws.com/a.bin', 's3-presigned-url-v2'),
    ];
    await ep.createJob({ document: JSON.stringify({ forms }), presignedUrlConfig: { roleArn } });
    const next = ep.emulator.deviceJobs.next('device-0');
    const urls = (JSON.parse(next?.jobDocument ?? '{}') as { forms: string[] }).forms;
    expect(urls).toHaveLength(4);
    for (const url of urls) {
      expect(url.startsWith(`${ep.url}/_fleetwave/s3/firmware/a.bin?`)).toBe(true);
      expect((await fetch(url)).status).toBe(200);
    }
  });

  it('refuses keys with .. segments, an upload without Content-Length, and an unknown admin path', async () => {
    const ep = await started();
    for (const path of [
      '/_fleetwave/files/firmware/../../etc/passwd',
      '/_fleetwave/files/firmware/a/%2E%2E/b',
    ]) {
      const answer = await rawRequest(ep.url, 'PUT', path, 'x');
      expect(answer.status).toBe(400);
    }
    // Written without a length: Node sends it chunked.
    const chunked = await rawRequest(ep.url, 'PUT', '/_fleetwave/files/firmware/c.bin', 'x');
    expect([chunked.status, JSON.parse(chunked.text).code]).toEqual([411, 'MissingContentLength']);
    expect((await fetch(`${ep.url}/_fleetwave/files/firmware/c.bin`)).status).toBe(404);
    expect(ep.files.store.list()).toEqual([]);
  });
});

describe('the files service', () => {
  async function standalone(options: Partial<FilesServiceOptions> = {}) {
    const clock = new VirtualClock({ start: Date.UTC(2026, 0, 1), mode: { kind: 'manual' } });
    const files = createFilesService({ clock, ...options });
    const server = createAwsEndpoint([files]);
    const url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
    cleanups.push(async () => {
      clock.stop();
      await closeServer(server);
    });
    return { files, url, render: files.documentRenderer(url) };
  }

  it('answers 413 to an upload over its size limit, before reading it', async () => {
    const { url } = await standalone({ maxFileBytes: 10 });
    expect((await upload(url, 'firmware', 'big.bin', new Uint8Array(11))).status).toBe(413);
    expect((await upload(url, 'firmware', 'small.bin', new Uint8Array(10))).status).toBe(200);
  });

  it('keeps files under --data-dir across restarts, drops what an interrupted upload left, and ignores strays', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fleetwave-files-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const first = await standalone({ dataDir });
    expect((await upload(first.url, 'firmware', 'v2/image.bin', image)).status).toBe(200);
    // A key that looks like a temporary file is a file like any other.
    expect((await upload(first.url, 'firmware', '.part-notes', image)).status).toBe(200);
    writeFileSync(join(dataDir, 'files', '.uploads', 'left-over'), 'x');
    writeFileSync(join(dataDir, 'files', '.DS_Store'), 'x');
    writeFileSync(join(dataDir, 'files', 'firmware', '%E0%A4%A'), 'x');
    const second = await standalone({ dataDir });
    expect(
      second.files.store
        .list()
        .map((f) => [f.key, f.size])
        .sort(),
    ).toEqual([
      ['.part-notes', image.length],
      ['v2/image.bin', image.length],
    ]);
    expect(readdirSync(join(dataDir, 'files', '.uploads'))).toEqual([]);
    const job = { presignedUrlConfig: { expiresInSec: 60 } } as Parameters<typeof second.render>[1];
    const link = second.render(placeholder('https://s3.amazonaws.com/firmware/v2/image.bin'), job);
    const download = await fetch(link);
    expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(image))).toBe(true);
  });
});

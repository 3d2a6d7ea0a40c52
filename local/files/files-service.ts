/**
 * Files for devices to download, on the shared AWS endpoint beside the
 * emulated services (routed by path, not by signature):
 * - `PUT /_fleetwave/files/<bucket>/<key>` uploads a file (`Content-Length`
 *   required, at most {@link defaultMaxFileBytes}), replacing one of that name;
 * - `GET /_fleetwave/files` lists them;
 * - `GET|HEAD /_fleetwave/s3/<bucket>/<key>?X-Amz-...` downloads one
 *   through a presigned URL, which is what a job document's
 *   `${aws:iot:s3-presigned-url:...}` placeholder becomes for a device
 *   ({@link FilesService.documentRenderer}). Refusals are S3's: 403
 *   AccessDenied or SignatureDoesNotMatch, 404 NoSuchKey, with XML bodies.
 * Uploads are not held to the IoT service's request cap: this service has its own.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { writeJson } from '../aws-endpoint/http-io.js';
import type { AwsService } from '../aws-endpoint/router.js';
import type { Clock } from '../clock/clock.js';
import type { DocumentRenderer } from '../iot/device-jobs/device-jobs.js';
import {
  DiskFileStore,
  type FileStore,
  MemoryFileStore,
  type StoredFile,
  StoreFullError,
} from './file-store.js';
import { objectNameProblem, objectOfPath } from './object-names.js';
import { replacePlaceholders } from './placeholders.js';
import { defaultExpiresInSec, Presigner, presignedPathPrefix } from './presigned-urls.js';
import { writeS3Error } from './s3-responses.js';

/** The largest upload: room for a firmware image, small enough to keep in memory without `--data-dir`. */
const defaultMaxFileBytes = 128 * 1024 * 1024;

const uploadPrefix = '/_fleetwave/files';

export interface FilesServiceOptions {
  clock: Clock;
  /** Files are kept under `<dataDir>/files/` when given, else in memory. */
  dataDir?: string;
  maxFileBytes?: number;
}

export interface FilesService extends AwsService {
  readonly store: FileStore;
  /** Replaces a job document's presigned-URL placeholders with URLs under `baseUrl`, valid for the job's `expiresInSec`. */
  documentRenderer(baseUrl: string): DocumentRenderer;
}

/** A file as the admin routes show it. */
function fileView(file: StoredFile) {
  return { ...file, lastModified: new Date(file.lastModified).toISOString() };
}

export function createFilesService(options: FilesServiceOptions): FilesService {
  const store: FileStore =
    options.dataDir === undefined ? new MemoryFileStore() : new DiskFileStore(join(options.dataDir, 'files'));
  const presigner = new Presigner();
  const { clock } = options;

  async function upload(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const object = objectOfPath(path, `${uploadPrefix}/`);
    if (!object) {
      req.resume();
      writeJson(res, 400, { message: `Upload to ${uploadPrefix}/<bucket>/<key>.` });
      return;
    }
    const problem = objectNameProblem(object.bucket, object.key);
    if (problem) {
      req.resume();
      writeJson(res, 400, problem);
      return;
    }
    const length = req.headers['content-length'];
    if (length === undefined) {
      req.resume();
      writeJson(res, 411, {
        code: 'MissingContentLength',
        message: 'You must provide the Content-Length HTTP header.',
      });
      return;
    }
    try {
      const file = await store.put(object.bucket, object.key, req, Number(length), clock.now());
      writeJson(res, 200, { file: fileView(file) });
    } catch (error) {
      if (!(error instanceof StoreFullError)) throw error;
      req.resume();
      writeJson(res, 507, { code: 'InsufficientStorage', message: error.message });
    }
  }

  async function download(req: IncomingMessage, res: ServerResponse, path: string, url: URL): Promise<void> {
    const object = objectOfPath(path, presignedPathPrefix);
    if (!object) return writeS3Error(res, 400, 'InvalidRequest', 'A presigned URL names a bucket and a key.');
    const refusal = presigner.check(object.bucket, object.key, url.searchParams, clock.now());
    if (refusal) return writeS3Error(res, 403, refusal.code, refusal.message);
    const found = store.get(object.bucket, object.key);
    if (!found)
      return writeS3Error(res, 404, 'NoSuchKey', 'The specified key does not exist.', { Key: object.key });
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': found.file.size,
      'last-modified': new Date(found.file.lastModified).toUTCString(),
    });
    if (req.method === 'HEAD') res.end();
    else await pipeline(found.open(), res);
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    // The path as sent: URL parsing would resolve `..` segments, which must be seen to be refused.
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const method = (req.method ?? 'GET').toUpperCase();
    if (path === uploadPrefix && method === 'GET') {
      writeJson(res, 200, { files: store.list().map(fileView) });
    } else if (path.startsWith(`${uploadPrefix}/`) && method === 'PUT') {
      await upload(req, res, path);
    } else if (path.startsWith(presignedPathPrefix) && (method === 'GET' || method === 'HEAD')) {
      req.resume();
      await download(req, res, path, url);
    } else {
      req.resume();
      writeJson(res, 404, { message: `No admin route ${method} ${path}.` });
    }
  }

  return {
    // Not an AWS service: no client signs for it, requests reach it by path.
    signingName: 'fleetwave-files',
    pathPrefixes: [uploadPrefix, presignedPathPrefix],
    maxRequestBytes: options.maxFileBytes ?? defaultMaxFileBytes,
    store,
    documentRenderer: (baseUrl) => (document, job) =>
      replacePlaceholders(document, (bucket, key) =>
        presigner.sign(
          baseUrl,
          bucket,
          key,
          job.presignedUrlConfig?.expiresInSec ?? defaultExpiresInSec,
          clock.now(),
        ),
      ),
    handle: (req, res) => {
      serve(req, res).catch((error: unknown) => {
        if (res.headersSent) res.destroy();
        else writeJson(res, 400, { message: error instanceof Error ? error.message : String(error) });
      });
    },
  };
}

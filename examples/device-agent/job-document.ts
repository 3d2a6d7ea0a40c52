/**
 * fleetwave's convention for a firmware job document, read by the agent:
 *
 * ```json
 * { "operation": "firmware-update", "version": "2.0.0",
 *   "url": "${aws:iot:s3-presigned-url:https://s3.amazonaws.com/bucket/firmware-2.0.0.bin}",
 *   "sha256": "<64 hex digits>", "size": 262144 }
 * ```
 *
 * AWS IoT (and the local stack) replace the presigned-URL placeholder before the
 * device sees the document, so the device only ever sees an http(s) `url`.
 * `sha256` and `size` are optional checks of the download; `version` is reported
 * back when the job succeeds. A document without `url` has nothing to download.
 */
export interface FirmwareDocument {
  url?: URL;
  /** Lower-case hex. */
  sha256?: string;
  size?: number;
  version?: string;
}

/** Why a document cannot be acted on; becomes the `reason` of the FAILED execution. */
export class JobDocumentError extends Error {
  override readonly name = 'JobDocumentError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readUrl(value: unknown): URL {
  if (typeof value !== 'string') throw new JobDocumentError('url is not a string');
  if (value.startsWith('${')) {
    // The service substitutes presigned URLs; one left as written means the job was created without it.
    throw new JobDocumentError(`url placeholder was not replaced: ${value}`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new JobDocumentError(`url is not a URL: ${value}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new JobDocumentError(`url must be http or https, not ${url.protocol}`);
  }
  return url;
}

/**
 * Reads a job document (the object the jobs topics deliver, or its JSON text) by
 * the convention above; throws {@link JobDocumentError} when a field it names is malformed.
 */
export function readFirmwareDocument(document: unknown): FirmwareDocument {
  let value = document;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new JobDocumentError('job document is not JSON');
    }
  }
  if (value === undefined) return {};
  if (!isRecord(value)) throw new JobDocumentError('job document is not a JSON object');
  const firmware: FirmwareDocument = {};
  if (value.url !== undefined) firmware.url = readUrl(value.url);
  if (value.sha256 !== undefined) {
    if (typeof value.sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(value.sha256)) {
      throw new JobDocumentError('sha256 must be 64 hex digits');
    }
    firmware.sha256 = value.sha256.toLowerCase();
  }
  if (value.size !== undefined) {
    if (typeof value.size !== 'number' || !Number.isSafeInteger(value.size) || value.size < 0) {
      throw new JobDocumentError('size must be a whole number of bytes');
    }
    firmware.size = value.size;
  }
  if (typeof value.version === 'string') firmware.version = value.version;
  if ((firmware.sha256 !== undefined || firmware.size !== undefined) && firmware.url === undefined) {
    throw new JobDocumentError('sha256 or size given without a url');
  }
  return firmware;
}

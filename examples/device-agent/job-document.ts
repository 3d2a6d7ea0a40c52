/**
 * fleetwave's convention for a firmware job document, the shape of the demo
 * template `demo-ota` that `npm start` creates: a `firmware` object.
 *
 * ```json
 * { "operation": "ota-update",
 *   "firmware": { "version": "2.4.0",
 *     "url": "${aws:iot:s3-presigned-url:https://my-bucket.s3.amazonaws.com/fw/2.4.0.bin}",
 *     "sha256": "<64 hex digits>", "sizeBytes": 1572864 } }
 * ```
 *
 * AWS IoT (and the local stack) replace the presigned-URL placeholder before the
 * device sees the document, so the device only ever sees an http(s) `url`.
 * `sha256` and `sizeBytes` are optional checks of the download; `version` is
 * reported back when the job succeeds. A document without `firmware` (a reboot,
 * a configuration change) has nothing to download. Other fields are the
 * device's business and are left alone.
 */
export interface FirmwareDocument {
  /** Absent: nothing to download. */
  url?: URL;
  /** Lower-case hex. */
  sha256?: string;
  /** `sizeBytes` in the document. */
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
  if (typeof value !== 'string') throw new JobDocumentError('firmware.url is not a string');
  if (value.startsWith('${')) {
    // The service substitutes presigned URLs; one left as written means the job was created without it.
    throw new JobDocumentError(`firmware.url placeholder was not replaced: ${value}`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new JobDocumentError(`firmware.url is not a URL: ${value}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new JobDocumentError(`firmware.url must be http or https, not ${url.protocol}`);
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
  if (value.firmware === undefined) return {};
  const given = value.firmware;
  if (!isRecord(given)) throw new JobDocumentError('firmware is not a JSON object');
  if (given.url === undefined) throw new JobDocumentError('firmware.url is missing');
  const firmware: FirmwareDocument = { url: readUrl(given.url) };
  if (given.sha256 !== undefined) {
    if (typeof given.sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(given.sha256)) {
      throw new JobDocumentError('firmware.sha256 must be 64 hex digits');
    }
    firmware.sha256 = given.sha256.toLowerCase();
  }
  if (given.sizeBytes !== undefined) {
    if (
      typeof given.sizeBytes !== 'number' ||
      !Number.isSafeInteger(given.sizeBytes) ||
      given.sizeBytes < 0
    ) {
      throw new JobDocumentError('firmware.sizeBytes must be a whole number of bytes');
    }
    firmware.size = given.sizeBytes;
  }
  if (typeof given.version === 'string') firmware.version = given.version;
  return firmware;
}

/**
 * Bucket and key names of uploaded files, checked before any name reaches
 * the file system: S3's bucket rules, and keys without `.` or `..`
 * segments (S3 takes them; the local stack refuses them so no key can
 * name a path outside its store).
 */

/** 3–63 of lower-case letters, digits, `.` and `-`, starting and ending with a letter or digit. */
const bucketPattern = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * The longest key, percent-encoded: a key is one file name under `--data-dir`
 * (255 bytes at most on common file systems), and the in-memory store keeps
 * the same rule so a key never works in one and fails in the other.
 */
const maxEncodedKeyBytes = 255;

/** Why a bucket and key are refused, as an S3 error code and message; undefined when they are fine. */
export function objectNameProblem(
  bucket: string,
  key: string,
): { code: string; message: string } | undefined {
  if (!bucketPattern.test(bucket)) {
    return { code: 'InvalidBucketName', message: 'The specified bucket is not valid.' };
  }
  if (key === '' || key.includes('\0')) return { code: 'InvalidArgument', message: 'The key is not valid.' };
  if (Buffer.byteLength(encodeURIComponent(key)) > maxEncodedKeyBytes) {
    return { code: 'KeyTooLongError', message: 'Your key is too long' };
  }
  if (key.split('/').some((segment) => segment === '.' || segment === '..')) {
    return { code: 'InvalidArgument', message: 'Keys with . or .. segments are refused by the local stack.' };
  }
  return undefined;
}

/** `/<bucket>/<key>` of a request path after `prefix`, decoded; undefined when it has no key or does not decode. */
export function objectOfPath(path: string, prefix: string): { bucket: string; key: string } | undefined {
  const rest = path.slice(prefix.length);
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1) return undefined;
  try {
    return {
      bucket: decodeURIComponent(rest.slice(0, slash)),
      key: decodeURIComponent(rest.slice(slash + 1)),
    };
  } catch {
    return undefined;
  }
}

/** The key as it goes into a URL path: each segment percent-encoded, the slashes kept. */
export function keyPath(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

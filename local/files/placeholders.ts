/**
 * Presigned-URL placeholders in job documents, in the forms AWS IoT
 * documents: `${aws:iot:s3-presigned-url:https://s3.amazonaws.com/<bucket>/<key>}`
 * and `${aws:iot:s3-presigned-url-v2:https://s3.<region>.amazonaws.com/<bucket>/<key>}`,
 * with path-style or virtual-hosted (`https://<bucket>.s3[.<region>].amazonaws.com/<key>`)
 * S3 addresses. A placeholder whose address names no bucket and key is left as it is.
 */

const placeholderPattern = /\$\{aws:iot:s3-presigned-url(?:-v2)?:(https:\/\/[^}\s]+)\}/g;

const pathStyleHost = /^s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com$/;
const virtualHost = /^([a-z0-9][a-z0-9.-]*[a-z0-9])\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com$/;

/** The bucket and key an S3 address names, or undefined. */
export function s3ObjectOf(address: string): { bucket: string; key: string } | undefined {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return undefined;
  }
  const path = url.pathname.slice(1);
  let bucket: string;
  let encodedKey: string;
  const hosted = virtualHost.exec(url.hostname);
  if (hosted) [bucket, encodedKey] = [hosted[1]!, path];
  else if (pathStyleHost.test(url.hostname)) {
    const slash = path.indexOf('/');
    if (slash <= 0) return undefined;
    [bucket, encodedKey] = [path.slice(0, slash), path.slice(slash + 1)];
  } else return undefined;
  if (encodedKey === '') return undefined;
  try {
    return { bucket, key: decodeURIComponent(encodedKey) };
  } catch {
    return undefined;
  }
}

/** `document` with every placeholder replaced by what `urlOf` makes of its bucket and key. */
export function replacePlaceholders(
  document: string,
  urlOf: (bucket: string, key: string) => string,
): string {
  return document.replace(placeholderPattern, (placeholder, address: string) => {
    const object = s3ObjectOf(address);
    return object ? urlOf(object.bucket, object.key) : placeholder;
  });
}

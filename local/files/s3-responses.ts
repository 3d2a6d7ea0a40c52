/** S3's error answers: XML `<Error>` bodies with a code, a message and a request id. */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

const escapeXml = (text: string) =>
  text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );

/** Writes an S3 error; `extra` adds elements such as `<Key>`. */
export function writeS3Error(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  extra: Record<string, string> = {},
): void {
  const requestId = randomUUID();
  const elements = Object.entries({ Code: code, Message: message, ...extra, RequestId: requestId })
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${elements}</Error>`;
  res.writeHead(status, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
    'x-amz-request-id': requestId,
  });
  res.end(body);
}

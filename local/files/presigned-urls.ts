/**
 * Presigned download URLs for uploaded files, in S3's query form
 * (`X-Amz-Algorithm`, `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-Signature`),
 * signed with a key the stack draws at start, and checked on the virtual
 * clock: a URL is valid `expiresInSec` seconds from when it was made. An
 * expired or altered URL is refused as S3 refuses it.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { keyPath } from './object-names.js';

/** Where the local stack serves presigned downloads: `<endpoint>/_fleetwave/s3/<bucket>/<key>`. */
export const presignedPathPrefix = '/_fleetwave/s3/';

/** AWS IoT's default and bounds for `presignedUrlConfig.expiresInSec`. */
export const defaultExpiresInSec = 3600;

/** `20260101T000000Z` */
function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
}

/** Why S3 refuses a presigned request: its error code, message and status. */
export interface PresignedRefusal {
  code: 'AccessDenied' | 'SignatureDoesNotMatch';
  message: string;
}

export class Presigner {
  private readonly secret: Buffer;

  constructor(secret: Buffer = randomBytes(32)) {
    this.secret = secret;
  }

  /** A URL under `baseUrl` for `bucket/key`, valid `expiresInSec` from `now` (epoch ms). */
  sign(baseUrl: string, bucket: string, key: string, expiresInSec: number, now: number): string {
    const date = amzDate(now);
    const query = new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Date': date,
      'X-Amz-Expires': String(expiresInSec),
      'X-Amz-Signature': this.signature(bucket, key, date, String(expiresInSec)),
    });
    return `${baseUrl}${presignedPathPrefix}${encodeURIComponent(bucket)}/${keyPath(key)}?${query}`;
  }

  /** Why a request for `bucket/key` with this query is refused at `now`; undefined when it may download. */
  check(bucket: string, key: string, query: URLSearchParams, now: number): PresignedRefusal | undefined {
    const date = query.get('X-Amz-Date');
    const expires = query.get('X-Amz-Expires');
    const signature = query.get('X-Amz-Signature');
    if (query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256' || !date || !expires || !signature) {
      return { code: 'AccessDenied', message: 'Access Denied' };
    }
    const expected = Buffer.from(this.signature(bucket, key, date, expires), 'hex');
    const given = Buffer.from(signature, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return {
        code: 'SignatureDoesNotMatch',
        message:
          'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      };
    }
    const signedAt = parseAmzDate(date);
    if (signedAt === undefined || now > signedAt + Number(expires) * 1000) {
      return { code: 'AccessDenied', message: 'Request has expired' };
    }
    return undefined;
  }

  private signature(bucket: string, key: string, date: string, expires: string): string {
    return createHmac('sha256', this.secret)
      .update(`GET\n${bucket}\n${key}\n${date}\n${expires}`)
      .digest('hex');
  }
}

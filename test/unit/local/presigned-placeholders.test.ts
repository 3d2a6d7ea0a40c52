/** Presigned-URL placeholders in job documents: which addresses name a bucket and key, and what is left alone. */
import { describe, expect, it } from 'vitest';
import { replacePlaceholders, s3ObjectOf } from '../../../local/files/placeholders.js';

const placeholder = (address: string, form = 's3-presigned-url') => `\${aws:iot:${form}:${address}}`;

describe('presigned-URL placeholders', () => {
  it('read path-style and virtual-hosted S3 addresses, with or without a region, keys decoded', () => {
    const object = { bucket: 'fw-bucket', key: 'v2/image 1.bin' };
    for (const address of [
      'https://s3.amazonaws.com/fw-bucket/v2/image%201.bin',
      'https://s3.eu-west-1.amazonaws.com/fw-bucket/v2/image%201.bin',
      'https://s3-eu-west-1.amazonaws.com/fw-bucket/v2/image%201.bin',
      'https://fw-bucket.s3.amazonaws.com/v2/image%201.bin',
      'https://fw-bucket.s3.us-east-1.amazonaws.com/v2/image%201.bin',
    ]) {
      expect(s3ObjectOf(address), address).toEqual(object);
    }
  });

  it('name no object for another host, a bucket without a key, or a key that does not decode', () => {
    for (const address of [
      'https://example.com/fw-bucket/a.bin',
      'https://s3.amazonaws.com/fw-bucket',
      'https://s3.amazonaws.com/fw-bucket/',
      'https://fw-bucket.s3.amazonaws.com/',
      'https://s3.amazonaws.com/fw-bucket/%E0%A4%A',
    ]) {
      expect(s3ObjectOf(address), address).toBeUndefined();
    }
  });

  it('are replaced wherever they stand, both forms, and an unreadable one is left as it is', () => {
    const unreadable = placeholder('https://example.com/x/y');
    const document = JSON.stringify({
      a: placeholder('https://s3.amazonaws.com/b1/k1'),
      b: `mirror ${placeholder('https://b2.s3.us-east-1.amazonaws.com/k2', 's3-presigned-url-v2')}`,
      c: unreadable,
    });
    const rendered = JSON.parse(replacePlaceholders(document, (bucket, key) => `url:${bucket}/${key}`));
    expect(rendered).toEqual({ a: 'url:b1/k1', b: 'mirror url:b2/k2', c: unreadable });
  });
});

import { describe, expect, it } from 'vitest';
import { JobDocumentError, readFirmwareDocument } from '../../../examples/device-agent/job-document.js';

const sha = 'AB'.repeat(32);
const at = (firmware: unknown) => ({ operation: 'ota-update', firmware });

describe("the device agent's job document convention", () => {
  it('reads firmware.url, sha256 (lower-cased), sizeBytes and version from the object the jobs topics deliver', () => {
    const firmware = readFirmwareDocument(
      at({
        version: '2.4.0',
        url: 'http://127.0.0.1:4566/_fleetwave/files/fw.bin?X-Amz-Signature=x',
        sha256: sha,
        sizeBytes: 1024,
        signature: { algorithm: 'ECDSA-P256-SHA256' },
      }),
    );
    expect(firmware.url?.href).toBe('http://127.0.0.1:4566/_fleetwave/files/fw.bin?X-Amz-Signature=x');
    expect(firmware).toMatchObject({ sha256: sha.toLowerCase(), size: 1024, version: '2.4.0' });
  });

  it('reads the same document given as JSON text (as the HTTPS data plane returns it)', () => {
    const text = JSON.stringify(at({ url: 'https://example.com/fw.bin' }));
    expect(readFirmwareDocument(text).url?.host).toBe('example.com');
  });

  it('has nothing to download in a document without firmware, or with no document at all', () => {
    expect(readFirmwareDocument({ operation: 'reboot' })).toEqual({});
    expect(readFirmwareDocument(undefined)).toEqual({});
  });

  it.each([
    // biome-ignore lint/suspicious/noTemplateCurlyInString: AWS IoT's placeholder, replaced by IoT, not by JavaScript
    [at({ url: '${aws:iot:s3-presigned-url:https://s3.amazonaws.com/b/k}' }), 'placeholder was not replaced'],
    [at({ url: 'ftp://example.com/fw.bin' }), 'firmware.url must be http or https, not ftp:'],
    [at({ url: 'not a url' }), 'firmware.url is not a URL'],
    [at({ url: 42 }), 'firmware.url is not a string'],
    [at({ sha256: sha }), 'firmware.url is missing'],
    [at('fw.bin'), 'firmware is not a JSON object'],
    [at({ url: 'https://e.com/f', sha256: 'abc' }), 'firmware.sha256 must be 64 hex digits'],
    [at({ url: 'https://e.com/f', sizeBytes: -1 }), 'firmware.sizeBytes must be a whole number of bytes'],
    [at({ url: 'https://e.com/f', sizeBytes: 1.5 }), 'firmware.sizeBytes must be a whole number of bytes'],
    [[1, 2], 'job document is not a JSON object'],
    ['{not json', 'job document is not JSON'],
  ])('refuses %j: %s', (document, reason) => {
    expect(() => readFirmwareDocument(document)).toThrow(JobDocumentError);
    expect(() => readFirmwareDocument(document)).toThrow(reason);
  });
});

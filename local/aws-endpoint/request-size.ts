/**
 * The largest request body each emulated service takes, checked on the
 * `Content-Length` before a service reads a byte. Step Functions documents
 * 1 MB per API request and DynamoDB 16 MB; for the others the cap sits above
 * the largest request AWS accepts (an SNS message of 256 KB form-encoded, an
 * EventBridge batch, an IoT CreateJob with its 32 KB document and 100 targets),
 * so every valid request passes and an absurd one costs nothing.
 */

const mib = 1024 * 1024;

/** By SigV4 signing name; a service not listed takes up to {@link defaultMaxRequestBytes}. */
const maxRequestBytesBySigningName: Readonly<Record<string, number>> = {
  states: 1 * mib,
  dynamodb: 16 * mib,
  events: 2 * mib,
  sns: 2 * mib,
  iot: 2 * mib,
};

/** The cap of a service not in the table, and of the admin surface. */
const defaultMaxRequestBytes = 2 * mib;

/** What a body read without a `Content-Length` (chunked) may grow to before the connection is dropped. */
export const streamedBodyLimitBytes = 16 * mib;

export function maxRequestBytesOf(signingName: string): number {
  return maxRequestBytesBySigningName[signingName] ?? defaultMaxRequestBytes;
}

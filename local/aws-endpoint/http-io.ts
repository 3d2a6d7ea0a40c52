/** Reading requests and writing AWS-shaped JSON responses, for every emulated service on the endpoint. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { streamedBodyLimitBytes } from './request-size.js';

/**
 * The whole body. The router has already refused a `Content-Length` over
 * the service's cap (request-size.ts); a body streamed without one is cut
 * off, its connection dropped, past {@link streamedBodyLimitBytes}.
 */
export function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > streamedBodyLimitBytes) {
        req.destroy();
        reject(new Error(`request body over ${streamedBodyLimitBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The whole body as text; see {@link readBodyBytes}. */
export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyBytes(req)).toString('utf8');
}

/** Parses a JSON body; an empty body is `undefined`. Throws SyntaxError on malformed JSON. */
export function parseJsonBody(text: string): unknown {
  return text.trim() === '' ? undefined : JSON.parse(text);
}

export function writeJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  res.end(text);
}

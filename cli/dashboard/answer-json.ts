/** The JSON answers the dashboard proxy makes itself (refusals and failures), never cached. */
import type { ServerResponse } from 'node:http';

/** Answers `status` with `body` as JSON. */
export function answerJson(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
  });
  res.end(text);
}

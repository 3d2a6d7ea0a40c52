/**
 * The AWS JSON 1.0 wire: `POST /` with `X-Amz-Target: AWSStepFunctions.<Op>`,
 * bodies in `application/x-amz-json-1.0`, errors as `{"__type", "message"}`.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeJson } from '../aws-endpoint/http-io.js';
import type { SfnError } from './errors.js';

const JSON_1_0 = 'application/x-amz-json-1.0';
export const TARGET_PREFIX = 'AWSStepFunctions';

/** Answers `body` as this protocol's JSON (the shared writer, with the protocol's content type). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  writeJson(res, status, body, { 'content-type': JSON_1_0 });
}

export function sendError(res: ServerResponse, error: SfnError): void {
  sendJson(res, error.status, error.body());
}

/** Operation name from `X-Amz-Target`, or undefined when the header is not ours. */
export function operationOf(req: IncomingMessage): string | undefined {
  const target = req.headers['x-amz-target'];
  if (typeof target !== 'string' || !target.startsWith(`${TARGET_PREFIX}.`)) return undefined;
  return target.slice(TARGET_PREFIX.length + 1);
}

/** Epoch seconds with fractional milliseconds: how JSON 1.0 carries timestamps. */
export const epochSeconds = (ms: number): number => ms / 1000;

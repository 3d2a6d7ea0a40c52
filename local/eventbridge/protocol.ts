/**
 * The AWS JSON 1.1 wire of EventBridge: `POST /` with
 * `X-Amz-Target: AWSEvents.<Op>`, bodies in `application/x-amz-json-1.1`,
 * errors as `{"__type", "message"}` with the error's HTTP status.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeJson } from '../aws-endpoint/http-io.js';

const JSON_1_1 = 'application/x-amz-json-1.1';
export const TARGET_PREFIX = 'AWSEvents';

/** Error names the EventBridge endpoint answers with. */
export type EventsErrorName =
  | 'ValidationException'
  | 'ResourceNotFoundException'
  | 'InternalException'
  | 'SerializationException'
  | 'UnknownOperationException';

/** An error answered on the wire as `{"__type": name, "message": ...}`. */
export class EventsError extends Error {
  override readonly name: EventsErrorName;
  readonly status: number;
  constructor(name: EventsErrorName, message: string) {
    super(message);
    this.name = name;
    this.status = name === 'InternalException' ? 500 : 400;
  }
}

/** Answers `body` as this protocol's JSON (the shared writer, with the protocol's content type). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  writeJson(res, status, body, { 'content-type': JSON_1_1 });
}

export function sendError(res: ServerResponse, error: EventsError): void {
  sendJson(res, error.status, { __type: error.name, message: error.message });
}

/** Operation name from `X-Amz-Target`, or undefined when the header is not EventBridge's. */
export function operationOf(req: IncomingMessage): string | undefined {
  const target = req.headers['x-amz-target'];
  if (typeof target !== 'string' || !target.startsWith(`${TARGET_PREFIX}.`)) return undefined;
  return target.slice(TARGET_PREFIX.length + 1);
}

/** The name of an event bus given by name or ARN (`arn:aws:events:...:event-bus/NAME`). */
export function busNameOf(nameOrArn: string | undefined): string {
  if (nameOrArn === undefined || nameOrArn === '') return 'default';
  const arn = /^arn:[^:]+:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(nameOrArn);
  return arn ? arn[1]! : nameOrArn;
}

/** The `1 validation error detected: ...` message AWS's request validation produces. */
export function validationMessage(problems: readonly string[]): string {
  const n = problems.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${problems.join('; ')}`;
}

/**
 * Request parsing and validation at the edge: the JSON body, path parameters
 * and query string are checked against the route's zod schemas together, so
 * one 400 names every bad field at once. Malformed JSON is the caller's fault
 * (400), never a 500; an oversized body is a 413 before any parsing work.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ZodError, type z } from 'zod';
import {
  type FieldProblem,
  PayloadTooLargeError,
  toFieldProblems,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../domain/errors.js';

/**
 * The zod schemas of one route; each part that has no schema is passed as
 * `undefined`. A body schema that accepts `undefined` (`.optional()`) makes
 * the body optional. Header names are lower-case, as API Gateway passes them.
 */
export interface RequestSchemas {
  body?: z.ZodType;
  path?: z.ZodType;
  query?: z.ZodType;
  headers?: z.ZodType;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** The validated request, typed from the route's schemas. */
export interface RequestInput<S extends RequestSchemas> {
  body: Parsed<S['body']>;
  path: Parsed<S['path']>;
  query: Parsed<S['query']>;
  headers: Parsed<S['headers']>;
}

/** Largest body a route accepts by default: room for a 32 KB job document even when every character is escaped. */
export const defaultMaxBodyBytes = 256 * 1024;

function rawBody(event: APIGatewayProxyEventV2): string | undefined {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

type Part = { ok: true; value: unknown } | { ok: false; problems: FieldProblem[] };

function check(schema: z.ZodType | undefined, value: unknown): Part {
  if (!schema) return { ok: true, value: undefined };
  const result = schema.safeParse(value);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, problems: fieldProblems(result.error) };
}

/** Like `toFieldProblems`, but an unknown field is named by its own path rather than its parent's. */
export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    if (issue.code !== 'unrecognized_keys') return toFieldProblems(new ZodError([issue]));
    return issue.keys.map((key) => ({
      path: [...issue.path, key].map(String).join('.'),
      message: 'is not a known field',
    }));
  });
}

function parseBody(schema: z.ZodType | undefined, raw: string | undefined): Part {
  if (!schema) return { ok: true, value: undefined };
  if (raw === undefined) {
    const absent = schema.safeParse(undefined);
    if (absent.success) return { ok: true, value: absent.data };
    return { ok: false, problems: [{ path: '', message: 'a JSON body is required' }] };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, problems: [{ path: '', message: 'must be valid JSON' }] };
  }
  return check(schema, json);
}

/** `application/json` or a `+json` type, with any parameters (`; charset=utf-8`). */
function isJsonMediaType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type);
}

/**
 * Validates `event` against `schemas`. Throws {@link PayloadTooLargeError} when
 * the body exceeds `maxBodyBytes`, {@link UnsupportedMediaTypeError} when a body
 * the route reads is not sent as JSON, and one {@link ValidationError} naming every
 * bad field of the path, the query string, the headers and the body.
 */
export function parseRequest<S extends RequestSchemas>(
  event: APIGatewayProxyEventV2,
  schemas: S,
  maxBodyBytes = defaultMaxBodyBytes,
): RequestInput<S> {
  const raw = rawBody(event);
  if (raw !== undefined && Buffer.byteLength(raw, 'utf8') > maxBodyBytes) {
    throw new PayloadTooLargeError(`The request body is larger than ${maxBodyBytes} bytes.`);
  }
  if (
    schemas.body &&
    raw !== undefined &&
    raw.trim() !== '' &&
    !isJsonMediaType(event.headers?.['content-type'])
  ) {
    // A browser can send text/plain or a form across sites without asking first; a JSON body can't be.
    throw new UnsupportedMediaTypeError(
      'The request body must be JSON, sent with Content-Type: application/json.',
    );
  }
  const path = check(schemas.path, event.pathParameters ?? {});
  const query = check(schemas.query, event.queryStringParameters ?? {});
  const headers = check(schemas.headers, event.headers ?? {});
  const body = parseBody(schemas.body, raw);
  const problems = [path, query, headers, body].flatMap((p) => (p.ok ? [] : p.problems));
  if (problems.length > 0) {
    const fields = [...new Set(problems.map((p) => p.path || 'body'))];
    throw new ValidationError(`Invalid request: ${fields.join(', ')}.`, problems);
  }
  const value = (p: Part) => (p.ok ? p.value : undefined);
  return {
    body: value(body),
    path: value(path),
    query: value(query),
    headers: value(headers),
  } as RequestInput<S>;
}

/**
 * What an HTTP handler returns, and how it becomes an API Gateway HTTP API
 * (payload v2) result. Handlers build results with the helpers here and never
 * serialise JSON or set content types themselves.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** A handler's answer: a status, an optional JSON body and extra headers. */
export interface HttpResult {
  statusCode: number;
  /** Serialised as JSON; omitted (no body at all) when undefined. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** 200 with a JSON body. */
export function ok(body: unknown): HttpResult {
  return { statusCode: 200, body };
}

/** 201 with a JSON body and the new resource's path in `Location`. */
export function created(body: unknown, location: string): HttpResult {
  return { statusCode: 201, body, headers: { location } };
}

/** 202 with a JSON body and the resource's path in `Location`: accepted, the work goes on after the answer. */
export function accepted(body: unknown, location: string): HttpResult {
  return { statusCode: 202, body, headers: { location } };
}

/**
 * The answer to a request that makes a resource, retry-safe: 202 with its
 * `Location` when this request made it, 200 with the same `Location` when a
 * repeat found it (POST /releases, and a release's retry and rollback).
 */
export function madeOrFound(body: unknown, location: string, made: boolean): HttpResult {
  return made ? accepted(body, location) : { ...ok(body), headers: { location } };
}

/** 204, no body. */
export function noContent(): HttpResult {
  return { statusCode: 204 };
}

/** Turns a {@link HttpResult} into the structured result API Gateway expects. */
export function toProxyResult(result: HttpResult): APIGatewayProxyStructuredResultV2 {
  const headers: Record<string, string> = { ...result.headers };
  if (result.body === undefined) return { statusCode: result.statusCode, headers };
  return {
    statusCode: result.statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(result.body),
  };
}

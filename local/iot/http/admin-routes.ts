/**
 * The non-AWS admin surface under `/_fleetwave/`: plain JSON routes that
 * let tests and tools steer the local stack (fault injection here; the fleet
 * simulator adds its own). Handlers get the parsed body and answer a status
 * and a JSON body; a zod error becomes a 400 naming the bad fields.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { parseJsonBody, writeJson } from '../../aws-endpoint/http-io.js';
import { IotError } from '../errors.js';
import { PathRouter } from './path-router.js';

export interface AdminRequest {
  method: string;
  /** The path without the query string, e.g. `/_fleetwave/faults`. */
  path: string;
  /** Values of the `{label}` segments of the route's path. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body, undefined when there is none. */
  body: unknown;
  headers: IncomingMessage['headers'];
}

export interface AdminResponse {
  /** 200 when absent. */
  status?: number;
  /** Sent as JSON; nothing is sent when absent. */
  body?: unknown;
  /** When set, `body` (a string or a Buffer) is sent as it is, with this content type. */
  contentType?: string;
}

export type AdminHandler = (req: AdminRequest) => Promise<AdminResponse> | AdminResponse;

export class AdminRoutes {
  private readonly router = new PathRouter<AdminHandler>();
  private readonly registered = new Set<string>();

  /** Adds a route; `path` must start with `/_fleetwave/` and may hold `{label}` segments. */
  add(method: string, path: string, handler: AdminHandler): void {
    if (!path.startsWith('/_fleetwave/')) throw new Error(`Admin routes live under /_fleetwave/: ${path}`);
    const key = `${method.toUpperCase()} ${path}`;
    if (this.registered.has(key)) throw new Error(`Admin route already registered: ${key}`);
    this.registered.add(key);
    this.router.add(method, path, handler);
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, rawBody: string): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const match = this.router.match(method, url.pathname);
    if (!match) {
      writeJson(res, 404, { message: `No admin route ${method} ${url.pathname}.` });
      return;
    }
    let body: unknown;
    try {
      body = parseJsonBody(rawBody);
    } catch {
      writeJson(res, 400, { message: 'The request body is not valid JSON.' });
      return;
    }
    try {
      const answer = await match.value({
        method,
        path: url.pathname,
        params: match.params,
        query: url.searchParams,
        body,
        headers: req.headers,
      });
      if (answer.contentType !== undefined)
        writeRaw(res, answer.status ?? 200, answer.contentType, answer.body);
      else writeJson(res, answer.status ?? 200, answer.body);
    } catch (error) {
      if (error instanceof z.ZodError) {
        writeJson(res, 400, { message: 'Invalid request.', details: z.flattenError(error) });
      } else if (error instanceof IotError) {
        writeJson(res, error.status, error.body(), { 'x-amzn-errortype': error.name });
      } else {
        writeJson(res, 500, { message: error instanceof Error ? error.message : String(error) });
      }
    }
  }
}

function writeRaw(res: ServerResponse, status: number, contentType: string, body: unknown): void {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(String(body ?? ''));
  res.writeHead(status, { 'content-type': contentType, 'content-length': bytes.length });
  res.end(bytes);
}

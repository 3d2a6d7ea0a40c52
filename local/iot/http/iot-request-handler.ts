/**
 * Serves one HTTP request of an IoT REST-JSON service (the control plane, the
 * jobs data plane): admin paths go to the admin routes; everything else is
 * matched against the service's dispatch table, passed through fault
 * injection and throttling, validated and run. Errors leave exactly as AWS
 * sends them; anything unexpected is an InternalFailureException, never a
 * stack trace.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJsonBody, readBody, writeJson } from '../../aws-endpoint/http-io.js';
import { IotError } from '../errors.js';
import type { FaultInjector } from '../faults/fault-injector.js';
import type { IotOperation, OperationContext } from '../operations/operation.js';
import type { AdminRoutes } from './admin-routes.js';
import type { OperationThrottle } from './operation-throttle.js';
import { PathRouter } from './path-router.js';

/** An error as it leaves on the wire: the name for `x-amzn-errortype`, the HTTP status and the JSON body. */
export interface WireError {
  readonly name: string;
  readonly status: number;
  body(): Record<string, string>;
}

export interface IotRequestHandlerOptions<C> {
  /** The dispatch table. */
  operations: readonly IotOperation<C>[];
  /** What every operation of the service is given. */
  ctx: C;
  faults: FaultInjector;
  throttle: OperationThrottle;
  /** The `/_fleetwave/` routes, on the service that answers them. */
  admin?: AdminRoutes;
  /**
   * The service's own errors and statuses (the data plane throttles with 429
   * where the control plane answers 400); undefined leaves an {@link IotError}
   * as it is and makes anything else an InternalFailureException.
   */
  wireError?: (error: unknown) => WireError | undefined;
}

export class IotRequestHandler<C = OperationContext> {
  private readonly router = new PathRouter<IotOperation<C>>();

  constructor(private readonly options: IotRequestHandlerOptions<C>) {
    for (const op of options.operations) this.router.add(op.method, op.path, op);
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.serve(req, res).catch((error: unknown) => {
      if (res.headersSent) return;
      writeIotError(res, new IotError('InternalFailureException', describe(error)));
    });
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const rawBody = await readBody(req);
    const { admin, faults, throttle, ctx } = this.options;
    if (admin && url.pathname.startsWith('/_fleetwave/')) {
      await admin.handle(req, res, url, rawBody);
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const match = this.router.match(method, url.pathname);
    if (!match) {
      writeJson(
        res,
        404,
        { message: `Unknown operation ${method} ${url.pathname}` },
        {
          'x-amzn-errortype': 'UnknownOperationException',
        },
      );
      return;
    }
    const operation = match.value;
    try {
      const fault = faults.check(operation.name);
      if (fault) throw fault;
      if (!throttle.admit(operation.name)) throw new IotError('ThrottlingException', 'Rate exceeded');
      let body: unknown;
      try {
        body = parseJsonBody(rawBody);
      } catch {
        throw new IotError('InvalidRequestException', 'Could not parse request body into json.');
      }
      const result = await operation.handle(ctx, {
        params: match.params,
        query: firstValues(url.searchParams),
        body,
        headers: headerValues(req.headers),
      });
      writeJson(res, 200, result);
    } catch (error) {
      writeIotError(res, this.wireErrorOf(error));
    }
  }

  private wireErrorOf(error: unknown): WireError {
    return (
      this.options.wireError?.(error) ??
      (error instanceof IotError ? error : new IotError('InternalFailureException', describe(error)))
    );
  }
}

function firstValues(search: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of search) if (!(key in out)) out[key] = value;
  return out;
}

/** Single-valued headers by their lower-case names (Node already lower-cases them). */
function headerValues(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) out[key] = Array.isArray(value) ? value.join(',') : value;
  }
  return out;
}

function describe(error: unknown): string {
  return `Internal failure: ${error instanceof Error ? error.message : String(error)}`;
}

/** An error as AWS IoT sends it: the name in `x-amzn-errortype`, `{"message": ...}` in the body. */
function writeIotError(res: ServerResponse, error: WireError): void {
  writeJson(res, error.status, error.body(), { 'x-amzn-errortype': error.name });
}
